package locale

import (
	"strings"
	"testing"
	"time"
)

func TestPlural(t *testing.T) {
	tests := []struct {
		name string
		lang string
		n    int
		want string
	}{
		{"zh-CN one", ZhCN, 1, "1 个工作日"},
		{"zh-CN five", ZhCN, 5, "5 个工作日"},
		{"zh-Hant five", ZhHant, 5, "5 個工作日"},
		{"en one", En, 1, "1 working day"},
		{"en zero is other", En, 0, "0 working days"},
		{"en five", En, 5, "5 working days"},
		{"en thousands grouped", En, 1200, "1,200 working days"},
		{"unknown language is zh-CN", "fr", 2, "2 个工作日"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Get(tt.lang).WorkingDays(tt.n); got != tt.want {
				t.Errorf("WorkingDays(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

func TestT(t *testing.T) {
	tests := []struct {
		name string
		lang string
		key  string
		want string
	}{
		{"zh-CN as today", ZhCN, "status.lookback", "回头看"},
		{"en keeps the official term", En, "status.lookback", "Look-back review (回头看)"},
		{"zh-Hant converted", ZhHant, "kind.timed", "限期整改"},
		{"unknown key shows itself", En, "status.nonesuch", "status.nonesuch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Get(tt.lang).T(tt.key); got != tt.want {
				t.Errorf("T(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

func TestFill(t *testing.T) {
	tests := []struct {
		name string
		s    string
		args []any
		want string
	}{
		{"no args", "已办结", nil, "已办结"},
		{"positional", "{0} 交给 {1}", []any{"县医院", "内科"}, "县医院 交给 内科"},
		{"named", "{unit}：{n} 条", []any{Args{"unit": "县医院", "n": 3}}, "县医院：3 条"},
		{"named missing stays", "{unit}", []any{Args{"other": 1}}, "{unit}"},
		{"repeated placeholder", "{0}/{0}", []any{7}, "7/7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Get(ZhCN).fill(tt.s, tt.args); got != tt.want {
				t.Errorf("fill(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	cst := time.FixedZone("CST", 8*60*60)
	tests := []struct {
		name string
		lang string
		t    time.Time
		want string
	}{
		{"zh-CN", ZhCN, time.Date(2026, 12, 6, 9, 0, 0, 0, cst), "2026年12月6日"},
		{"zh-Hant", ZhHant, time.Date(2026, 12, 6, 9, 0, 0, 0, cst), "2026年12月6日"},
		{"en", En, time.Date(2026, 12, 6, 9, 0, 0, 0, cst), "6 Dec 2026"},
		{"en January", En, time.Date(2027, 1, 31, 0, 0, 0, 0, cst), "31 Jan 2027"},
		{"zone is the caller's", ZhCN, time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC).In(cst), "2026年12月7日"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Get(tt.lang).Date(tt.t); got != tt.want {
				t.Errorf("Date = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want string
	}{
		{"zero", 0, "0"},
		{"three digits", 999, "999"},
		{"four digits", 1000, "1,000"},
		{"seven digits", 1234567, "1,234,567"},
		{"negative", -12345, "-12,345"},
	}
	for _, tt := range tests {
		for _, lang := range Languages {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				if got := Get(lang).Number(tt.n); got != tt.want {
					t.Errorf("Number(%d) = %q, want %q", tt.n, got, tt.want)
				}
			})
		}
	}
}

// TestLanguagesAndTheirMeta: the switch offers the three languages in order, each names itself
// and its direction, and the pseudo right-to-left language exists but is not offered.
func TestLanguagesAndTheirMeta(t *testing.T) {
	if got, want := strings.Join(Languages, " "), "zh-CN zh-Hant en"; got != want {
		t.Errorf("Languages = %q, want %q", got, want)
	}
	tests := []struct{ lang, name, dir string }{
		{ZhCN, "简体中文", "ltr"},
		{ZhHant, "繁體中文", "ltr"},
		{En, "English", "ltr"},
		{PseudoRTL, "Pseudo RTL", "rtl"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			p := Get(tt.lang)
			if !Known(tt.lang) || p.Lang() != tt.lang {
				t.Fatalf("Get(%q) is %q, Known %v", tt.lang, p.Lang(), Known(tt.lang))
			}
			if p.Name() != tt.name || p.Dir() != tt.dir {
				t.Errorf("Name, Dir = %q, %q; want %q, %q", p.Name(), p.Dir(), tt.name, tt.dir)
			}
		})
	}
	if got := Get(PseudoRTL).T("status_public.closed"); got != "\u202eFinished\u202c" {
		t.Errorf("pseudo status.closed = %q, want the English between right-to-left marks", got)
	}
}

// TestFieldsInEachLanguage: a form's problems, kept as keys, come out in the reader's language;
// no problem is a nil map.
func TestFieldsInEachLanguage(t *testing.T) {
	f := Fields{"x": M("format.working_days")}
	if got := Get(ZhCN).Fields(f)["x"]; got != "{n} 个工作日" {
		t.Errorf("zh-CN = %q", got)
	}
	if got := Get(En).Fields(Fields{"x": M("status_public.closed")})["x"]; got != "Finished" {
		t.Errorf("en = %q", got)
	}
	if Get(En).Fields(Fields{}) != nil || Get(En).Msg(Message{}) != "" {
		t.Error("no problems must be a nil map, the zero message an empty string")
	}
}

// TestNestedMessagesAndDays: a message argument is written in the same language, and a stored
// day as each language writes days.
func TestNestedMessagesAndDays(t *testing.T) {
	m := M("format.field_problem", M("status.closed"), M("form.too_short"))
	if got := Get(ZhCN).Msg(m); got != "已销号太短了。" {
		t.Errorf("zh-CN = %q", got)
	}
	if got := Get(En).Msg(m); got != "Closed (已销号): Too short." {
		t.Errorf("en = %q", got)
	}
	for lang, want := range map[string]string{ZhCN: "2026-12-06", ZhHant: "2026-12-06", En: "6 Dec 2026"} {
		if got := Get(lang).Day("2026-12-06"); got != want {
			t.Errorf("%s Day = %q, want %q", lang, got, want)
		}
	}
	if got := Get(En).Day("soon"); got != "soon" {
		t.Errorf("not a day = %q", got)
	}
}
