package nearby

import "testing"

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
