package nearby

import (
	"math"
	"reflect"
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
	same := Similarity(Terms(texts[0]), Terms(texts[1]), &st)
	other := Similarity(Terms(texts[0]), Terms(texts[2]), &st)
	self := Similarity(Terms(texts[2]), Terms(texts[2]), &st)
	if self < 0.999 || self > 1.001 {
		t.Errorf("a text with itself: %.3f, want 1", self)
	}
	if !(same > other) || other != 0 {
		t.Errorf("same problem %.3f, different problem %.3f: want same > different = 0", same, other)
	}
	if got := Similarity(nil, Terms(texts[0]), &st); got != 0 {
		t.Errorf("with an empty text: %.3f, want 0", got)
	}
}

func TestLookupTermsPrefersRareTerms(t *testing.T) {
	var st Counts
	for i := 0; i < 300; i++ {
		st.Add(Terms("医生态度"))
	}
	st.Add(Terms("三楼挂号"))
	got := LookupTerms(Terms("医生态度不好，三楼挂号"), &st, 3)
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
			got := LookupTerms(map[string]int{c.term: 1}, &st, 5)
			if (len(got) == 1) != c.lookedUp {
				t.Errorf("LookupTerms of %q = %v, want looked up %v", c.term, got, c.lookedUp)
			}
		})
	}
}

func TestSimilarityComparesCharactersNotBigrams(t *testing.T) {
	var st Counts
	a, b := Terms("排了半个小时"), Terms("排队半小时")
	st.Add(a)
	st.Add(b)
	if got := Similarity(a, b, &st); got < 0.5 {
		t.Errorf("same complaint in other words: %.3f, want ≥ 0.5 (characters shared: 排 半 小 时)", got)
	}
	if got := Similarity(map[string]int{"排队": 1}, map[string]int{"排队": 1}, &st); got != 0 {
		t.Errorf("bigrams alone: %.3f, want 0 (bigrams only look candidates up)", got)
	}
}

func TestScorerAgreesWithSimilarity(t *testing.T) {
	texts := []string{"三楼挂号窗口玩手机 ct室", "挂号窗口那个人刷手机，三楼 ct", "食堂太贵", "", "ct"}
	var st Counts
	for _, x := range texts {
		st.Add(Terms(x))
	}
	for _, a := range texts {
		sc := NewScorer(Terms(a), &st)
		for _, b := range texts {
			want := Similarity(Terms(a), Terms(b), &st)
			if got := sc.Score(b); math.Abs(got-want) > 1e-12 {
				t.Errorf("Score(%q, %q) = %v, Similarity %v", a, b, got, want)
			}
		}
	}
}

func TestLookupTermsFallsBackOnCommonTerms(t *testing.T) {
	var st Counts
	for i := 0; i < 300; i++ {
		st.Add(Terms("挂号排队太久"))
	}
	got := LookupTerms(Terms("挂号排队太久"), &st, 20)
	if len(got) != MinLookup {
		t.Errorf("a text of common terms only: %v, want %d terms to look up by", got, MinLookup)
	}
}
