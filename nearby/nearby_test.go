package nearby

import (
	"math"
	"reflect"
	"sort"
	"testing"
)

func TestTerms(t *testing.T) {
	cases := []struct {
		name, text string
		want       map[string]int
	}{
		{"bigrams and characters of a run", "门难进", map[string]int{"门难": 1, "难进": 1, "门": 1, "难": 1, "进": 1}},
		{"a lone character is a term", "门，难进", map[string]int{"门": 1, "难进": 1, "难": 1, "进": 1}},
		{"ascii words whole", "ct室 b超2号", map[string]int{"ct": 1, "室": 1, "b": 1, "超": 1, "2": 1, "号": 1}},
		{"repeats counted", "排队排队", map[string]int{"排队": 2, "队排": 1, "排": 2, "队": 2}},
		{"masked digits are not terms", "电话*******", map[string]int{"电话": 1, "电": 1, "话": 1}},
		{"empty", "", map[string]int{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Terms(c.text); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Terms(%q) = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	var st Counts
	texts := []string{
		"三楼挂号窗口的工作人员上班玩手机，排队半小时没人理",
		"挂号窗口那个人一直刷手机，让我们在三楼排了半个小时",
		"食堂饭菜太贵，分量还少",
		"医生态度很好，谢谢",
	}
	for _, x := range texts {
		st.Add(Terms(x))
	}
	same := Similarity(texts[0], texts[1], &st, nil)
	other := Similarity(texts[0], texts[2], &st, nil)
	self := Similarity(texts[2], texts[2], &st, nil)
	var alike Pair // a text with itself: every similarity 1 but the topics, the same part (食堂), no other place, its concepts (饭菜), its details (食堂)
	for _, f := range []int{FeatureCharacters, FeatureBigrams, FeatureComplaint, FeatureCoverage, FeatureComplaintCoverage,
		FeatureBigramContainment, FeatureComplaintContainment, FeatureSamePart, FeatureConcepts, FeatureDetails} {
		alike[f] = 1
	}
	if want := Probability(alike); math.Abs(self-want) > 1e-9 {
		t.Errorf("a text with itself: %.3f, want %.3f (every similarity 1 but the topics and the other places)", self, want)
	}
	if !(same > other) {
		t.Errorf("same problem %.3f, different problem %.3f: want same > different", same, other)
	}
	if got := Similarity("", texts[0], &st, nil); got != Probability(Pair{}) {
		t.Errorf("with an empty text: %.3f, want %.3f (every similarity 0)", got, Probability(Pair{}))
	}
}

// Ensure the topic affinity counts: the same two texts score higher when their topic vectors
// agree than when they do not, and the affinity is the cosine of the square roots.
func TestTopicsCount(t *testing.T) {
	var st Counts
	a, b := "食堂饭菜太贵", "饭菜价格高"
	st.Add(Terms(a))
	st.Add(Terms(b))
	agree := func(string) []float64 { return []float64{0.9, 0.1} }
	differ := func(text string) []float64 {
		if text == a {
			return []float64{1, 0}
		}
		return []float64{0, 1}
	}
	if hi, lo := Similarity(a, b, &st, agree), Similarity(a, b, &st, differ); !(hi > lo) {
		t.Errorf("agreeing topics %.3f, disagreeing %.3f: want higher", hi, lo)
	}
	if got := TopicAffinity([]float64{0.25, 0}, []float64{0.25, 0.25}); math.Abs(got-math.Sqrt(0.5)) > 1e-12 {
		t.Errorf("TopicAffinity = %v, want √½", got)
	}
}

func TestLookupTermsPrefersRareTerms(t *testing.T) {
	var st Counts
	for i := 0; i < 300; i++ {
		st.Add(Terms("医生态度"))
	}
	st.Add(Terms("三楼挂号"))
	got := LookupTerms(Terms("医生态度不好，三楼挂号"), &st, 3, 0)
	for _, term := range got {
		if term == "医生" || term == "生态" || term == "态度" {
			t.Errorf("LookupTerms chose %q, held by every document", term)
		}
	}
	if len(got) == 0 || got[0] == "" {
		t.Fatalf("LookupTerms = %v, want the rare terms", got)
	}
	for _, term := range got {
		if st.DocFreq(term) == 0 {
			t.Errorf("LookupTerms chose %q, which no document holds", term)
		}
	}
}

func TestTermKinds(t *testing.T) {
	cases := []struct {
		term             string
		bigram, lookedUp bool
	}{
		{"挂号", true, true},
		{"挂", false, false},
		{"ct", false, true},
		{"2", false, true},
	}
	var st Counts
	st.Add(Terms("挂号 ct 2"))
	for _, c := range cases {
		t.Run(c.term, func(t *testing.T) {
			if got := IsBigram(c.term); got != c.bigram {
				t.Errorf("IsBigram(%q) = %v, want %v", c.term, got, c.bigram)
			}
			got := LookupTerms(map[string]int{c.term: 1}, &st, 5, 0)
			if (len(got) == 1) != c.lookedUp {
				t.Errorf("LookupTerms of %q = %v, want looked up %v", c.term, got, c.lookedUp)
			}
		})
	}
}

func TestCosinesOfCharactersAndBigrams(t *testing.T) {
	var st Counts
	a, b := "排了半个小时", "排队半小时"
	st.Add(Terms(a))
	st.Add(Terms(b))
	p := NewScorer(a, &st, nil).Features(b)
	chars, bigrams := p[FeatureCharacters], p[FeatureBigrams]
	if chars < 0.5 {
		t.Errorf("same complaint in other words: characters %.3f, want ≥ 0.5 (shared: 排 半 小 时)", chars)
	}
	if bigrams <= 0 || bigrams >= chars {
		t.Errorf("bigrams %.3f: want some (小时), fewer than characters %.3f", bigrams, chars)
	}
}

// Ensure a Scorer gives Similarity, and Above leaves out exactly the texts below the threshold,
// whether or not it skipped their topic vector.
func TestScorerAgreesWithSimilarity(t *testing.T) {
	texts := []string{"三楼挂号窗口玩手机 ct室", "挂号窗口那个人刷手机，三楼 ct", "食堂太贵", "", "ct"}
	var st Counts
	for _, x := range texts {
		st.Add(Terms(x))
	}
	topics := func(text string) []float64 { return []float64{float64(len(text)%3) + 0.5, 1} }
	for _, a := range texts {
		sc := NewScorer(a, &st, topics)
		for _, b := range texts {
			want := Similarity(a, b, &st, topics)
			if got := sc.Score(b); math.Abs(got-want) > 1e-12 {
				t.Errorf("Score(%q, %q) = %v, Similarity %v", a, b, got, want)
			}
			for _, th := range []float64{0.01, 0.3, Threshold, 0.9} {
				got, ok := sc.Above(b, th)
				if ok != (want >= th) || ok && math.Abs(got-want) > 1e-12 {
					t.Errorf("Above(%q, %q, %.2f) = %v %v; Similarity %v", a, b, th, got, ok, want)
				}
			}
		}
	}
}
func TestLookupTermsFallsBackOnCommonTerms(t *testing.T) {
	var st Counts
	for i := 0; i < 300; i++ {
		st.Add(Terms("挂号排队太久"))
	}
	got := LookupTerms(Terms("挂号排队太久"), &st, 20, 0)
	if len(got) != MinLookup {
		t.Errorf("a text of common terms only: %v, want %d terms to look up by", got, MinLookup)
	}
}

// Ensure Best keeps exactly what scoring every text would: the highest at or above the
// threshold, at most limit, highest first.
func TestBestIsExact(t *testing.T) {
	texts := []string{"三楼挂号窗口玩手机", "挂号窗口那个人刷手机，三楼", "三楼挂号窗口玩手机", "食堂太贵", "挂号窗口玩手机排队", "", "三楼窗口", "挂号玩手机"}
	var st Counts
	for _, x := range texts {
		st.Add(Terms(x))
	}
	topics := func(text string) []float64 { return []float64{float64(len(text)%5) + 0.1, 1, float64(len(text) % 2)} }
	for _, th := range []float64{0.01, 0.3, Threshold, 0.9} {
		for _, limit := range []int{1, 2, 3, 10} {
			sc := NewScorer("三楼挂号窗口的人玩手机", &st, topics)
			var want []Found
			for i, x := range texts {
				if p := sc.Score(x); p >= th {
					want = append(want, Found{i, p})
				}
			}
			sort.SliceStable(want, func(a, b int) bool { return want[a].Score > want[b].Score })
			if len(want) > limit {
				want = want[:limit]
			}
			got := sc.Best(texts, th, limit)
			if len(got) != len(want) {
				t.Fatalf("threshold %.2f limit %d: got %v, want %v", th, limit, got, want)
			}
			for i := range got {
				if math.Abs(got[i].Score-want[i].Score) > 1e-12 {
					t.Errorf("threshold %.2f limit %d: got %v, want %v", th, limit, got, want)
				}
			}
		}
	}
}

// Ensure the containments are the shares of the smaller set held by the other, and the same
// part is told from another part and from no part.
func TestContainmentsAndSamePart(t *testing.T) {
	var st Counts
	for _, x := range []string{"挂号窗口排队", "挂号窗口排队太久了", "食堂排队"} {
		st.Add(Terms(x))
	}
	cases := []struct {
		name, a, b        string
		bigrams, complain float64
		samePart          float64
	}{
		// 挂号 号窗 窗口 口排 排队 (5) all in the longer; the complaint 排 队 (2) too.
		{"the shorter inside the longer", "挂号窗口排队", "挂号窗口排队太久了", 1, 1, 1},
		// 挂号 号窗 窗口 口排 排队 against 食堂 堂排 排队: one of three; complaint 排 队 both.
		{"another part", "挂号窗口排队", "食堂排队", 1.0 / 3, 1, 0},
		// 排队 队太 太久 against five: one of three; 排 队 太 久 against 排 队: both of the two.
		{"no part in one", "排队太久", "挂号窗口排队", 1.0 / 3, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := NewScorer(c.a, &st, nil).Features(c.b)
			if math.Abs(p[FeatureBigramContainment]-c.bigrams) > 1e-9 {
				t.Errorf("bigram containment %.3f, want %.3f", p[FeatureBigramContainment], c.bigrams)
			}
			if math.Abs(p[FeatureComplaintContainment]-c.complain) > 1e-9 {
				t.Errorf("complaint containment %.3f, want %.3f", p[FeatureComplaintContainment], c.complain)
			}
			if p[FeatureSamePart] != c.samePart {
				t.Errorf("same part %v, want %v", p[FeatureSamePart], c.samePart)
			}
		})
	}
}
