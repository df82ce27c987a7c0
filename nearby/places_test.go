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
