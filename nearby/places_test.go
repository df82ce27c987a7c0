package nearby

import (
	"math"
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
