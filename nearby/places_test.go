package nearby

import (
	"math"
	"slices"
	"testing"
)

func TestWithoutPlaces(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"unit and window", "县人民医院三楼挂号窗口排队太久", "   排队太久"},
		{"the longest word first", "人民医院的医生", " 的医生"},
		{"a township's health centre keeps its name", "石桥镇卫生院厕所太脏", "石桥   太脏"},
		{"ascii words", "ct室要排一周", " 要排一周"},
		{"nothing to leave out", "态度太差", "态度太差"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := WithoutPlaces(c.text); got != c.want {
				t.Errorf("WithoutPlaces(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	short, long := "挂号窗口太少", "门诊挂号窗口太少了，每天早上排队两个多小时"
	var small Counts
	small.Add(Terms(short))
	small.Add(Terms(long))
	var large Counts
	for i := 0; i < MinShareDocs; i++ {
		large.Add(Terms("食堂饭菜太贵，停车不方便，医生态度很好"))
	}
	large.Add(Terms(short))
	large.Add(Terms(long))
	cases := []struct {
		name     string
		a, b     string
		st       *Counts
		min, max float64
	}{
		{"a text with itself", long, long, &large, 1, 1},
		{"the shorter wholly in the longer, few documents: the plain share", short, long, &small, 1, 1},
		{"either way round", long, short, &small, 1, 1},
		{"the shorter wholly in the longer, many documents", short, long, &large, 0.9, 1},
		{"nothing shared: below chance", short, "医生态度很好", &large, -1, 0},
		{"an empty text", "", long, &large, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Coverage(c.a, c.b, c.st); got < c.min-1e-9 || got > c.max+1e-9 {
				t.Errorf("Coverage(%q, %q) = %.3f, want %.2f–%.2f", c.a, c.b, got, c.min, c.max)
			}
		})
	}
}

// complaintByDefinition is the complaint similarity as FeatureComplaint defines it: the
// characters' cosine of the two texts without their place words, counted afresh.
func complaintByDefinition(a, b string, st Stats) float64 {
	sc := NewScorer(a, st, nil)
	counts := map[string]int{}
	countCharacters(WithoutPlaces(b), counts)
	var sum, dot float64
	for term, count := range counts {
		y := weight(count, sc.info(term).w)
		sum += y * y
		dot += y * sc.complaint[term]
	}
	if sum == 0 || sc.compNorm == 0 {
		return 0
	}
	return dot / (sc.compNorm * math.Sqrt(sum))
}

// Ensure the Scorer's complaint similarity, which subtracts the place words' characters from
// the text's counts, is the cosine over the texts without their place words, on every training
// pair and on texts where a place word cuts an ASCII word.
func TestComplaintByCounts(t *testing.T) {
	pairs := readPairs(t, "tuning.tsv")
	var st Counts
	var texts [][2]string
	for _, p := range pairs {
		texts = append(texts, [2]string{fold(p.a), fold(p.b)})
	}
	texts = append(texts, [2]string{"ctx室排队太久", "ct室排队太久"}, [2]string{"b超室b超太慢", "xb超太慢"})
	for _, x := range texts {
		st.Add(Terms(x[0]))
		st.Add(Terms(x[1]))
	}
	for _, x := range texts {
		got := NewScorer(x[0], &st, nil).Features(x[1])[FeatureComplaint]
		if want := complaintByDefinition(x[0], x[1], &st); math.Abs(got-want) > 1e-9 {
			t.Errorf("complaint of %q and %q: %.12f, want %.12f", x[0], x[1], got, want)
		}
	}
}

func TestPlacesOf(t *testing.T) {
	cases := []struct {
		name         string
		text         string
		units, parts []string
	}{
		{"one hospital named three ways", "县人民医院和人民医院、县医院", []string{"unit 县人民医院"}, nil},
		{"a unit and its part", "中医院收费窗口中午不开", []string{"unit 中医院"}, []string{"part 收费处"}},
		{"a part named two ways", "化验室和检验科", nil, []string{"part 检验科"}},
		{"a township's centre by its name", "石桥镇卫生院没有b超", []string{"unit 石桥"}, []string{"part 超声科"}},
		{"the same centre without 镇", "石桥卫生院做彩超要看日子", []string{"unit 石桥"}, []string{"part 超声科"}},
		{"a community's service station", "城南社区卫生服务站周末不开门", []string{"unit 城南"}, nil},
		{"no name before 卫生院", "我们卫生院的院长去了乡卫生院", nil, nil},
		{"a verb before 乡 is no name", "领导下乡检查", nil, nil},
		{"a vague place names no unit or part", "医院门诊三楼的厕所", nil, nil},
		{"ascii part", "ct室要排一周", nil, []string{"part 放射科"}},
		{"empty", "", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := PlacesOf(c.text)
			if !slices.Equal(got.Units, c.units) || !slices.Equal(got.Parts, c.parts) {
				t.Errorf("PlacesOf(%q) = %q %q, want %q %q", c.text, got.Units, got.Parts, c.units, c.parts)
			}
		})
	}
}

// Ensure the place agreement says "another place" only when both texts name one and they
// share none, as the pair model's other-unit and other-part similarities.
func TestOtherPlace(t *testing.T) {
	var st Counts
	cases := []struct {
		name       string
		a, b       string
		unit, part float64
	}{
		{"another township", "青山乡卫生院开水房没有热水", "柳溪乡卫生院开水房没有热水", 1, 0},
		{"one township named two ways", "石桥镇卫生院的救护车拉货", "石桥卫生院那辆救护车在集市上拉货", 0, 0},
		{"another 科室 of one hospital", "县医院眼科医生看病敷衍", "人民医院口腔科医生看病敷衍", 0, 1},
		{"one names no unit", "眼科医生看病敷衍", "县医院口腔科医生看病敷衍", 0, 1},
		{"neither names a part", "县医院的护士态度差", "中医院的护士态度差", 1, 0},
		{"a part shared among others", "县医院儿科输液室太挤", "输液室人太多", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := NewScorer(c.a, &st, nil).Features(c.b)
			if p[FeatureOtherUnit] != c.unit || p[FeatureOtherPart] != c.part {
				t.Errorf("other unit %v, other part %v; want %v, %v", p[FeatureOtherUnit], p[FeatureOtherPart], c.unit, c.part)
			}
		})
	}
}

// complaintCoverageByDefinition is FeatureComplaintCoverage as defined: Coverage of the two
// texts without their place words, the shorter being the one with fewer such characters.
func complaintCoverageByDefinition(a, b string, st Stats) float64 {
	a, b = WithoutPlaces(a), WithoutPlaces(b)
	count := func(x string) int {
		counts := map[string]int{}
		countCharacters(x, counts)
		n := 0
		for _, c := range counts {
			n += c
		}
		return n
	}
	if count(b) < count(a) {
		a, b = b, a
	}
	// a is the shorter: the share of its √idf weight b holds, beyond what a text of b's
	// length would hold.
	sc := NewScorer(a, st, nil)
	them := map[string]int{}
	countCharacters(b, them)
	var held, chance, all float64
	for _, in := range sc.own {
		all += in.w
		chance += in.w * -math.Expm1(float64(count(b))/MeanLength*in.miss)
		if them[in.term] > 0 {
			held += in.w
		}
	}
	return kappa(held, chance, all)
}

// Ensure the Scorer's complaint coverage, worked out from the candidate's counts less its place
// words' characters, is Coverage of the texts without their place words, either way round, on
// every training pair.
func TestComplaintCoverageByCounts(t *testing.T) {
	var st Counts
	var texts [][2]string
	for _, p := range readPairs(t, "tuning.tsv") {
		texts = append(texts, [2]string{fold(p.a), fold(p.b)})
	}
	for i := 0; i < MinShareDocs; i++ { // enough documents for a chance level
		st.Add(Terms("食堂饭菜太贵，停车不方便，医生态度很好"))
	}
	for _, x := range texts {
		st.Add(Terms(x[0]))
		st.Add(Terms(x[1]))
	}
	for _, x := range texts {
		for _, ab := range [][2]string{x, {x[1], x[0]}} {
			got := NewScorer(ab[0], &st, nil).Features(ab[1])[FeatureComplaintCoverage]
			if want := complaintCoverageByDefinition(ab[0], ab[1], &st); math.Abs(got-want) > 1e-9 {
				t.Errorf("complaint coverage of %q and %q: %.12f, want %.12f", ab[0], ab[1], got, want)
			}
		}
	}
}
