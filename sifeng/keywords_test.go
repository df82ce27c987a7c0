package sifeng

import (
	"fmt"
	"testing"

	"minsheng/hanzi"
)

func TestSuggest(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // fmt of the hints: [{style [words]} …]
	}{
		{"traditional three hards", "門難進、臉難看、事難辦，還互相推諉。",
			"[{bureaucratism [门难进 脸难看 事难办 推诿]}]"},
		{"simplified", "挂号窗口态度冷漠，推诿扯皮", "[{bureaucratism [冷漠 推诿 扯皮]}]"},
		{"longer word shown once", "医生推诿病人", "[{bureaucratism [推诿病人]}]"},
		{"two styles in style order", "护士上班玩手机，还说门难进是正常的",
			"[{bureaucratism [门难进]} {hedonism [玩手机]}]"},
		{"all four", "检查走过场；办事推诿；上班迟到；公款吃喝",
			"[{formalism [走过场]} {bureaucratism [推诿]} {hedonism [迟到]} {extravagance [公款吃喝]}]"},
		{"traditional extravagance", "院領導用公款大吃大喝、迎來送往", "[{extravagance [公款 大吃大喝 迎来送往]}]"},
		{"full-width and mixed script", "科室領導弄虛作假，ＣＴ報告造假", "[{formalism [弄虚作假 造假]}]"},

		// Everyday hospital words that must not suggest a style.
		{"reception desk", "接待处的护士很耐心，谢谢", "[]"},
		{"waste of time", "排队浪费了一上午时间", "[]"},
		{"a meeting", "医生说在开会，让我下午再来", "[]"},
		{"repeat tests", "转院后又做了一遍重复检查，希望结果互认", "[]"},
		{"medical advice on alcohol", "医生叮嘱术后不能喝酒、饮酒", "[]"},
		{"spoilt food", "食堂饭菜腐败变质", "[]"},
		{"first visit", "首诊医生很细心", "[]"},
		{"chatting with the doctor", "和医生聊天很愉快", "[]"},
		{"sms notice", "医院发短信通知我取报告", "[]"},
		{"praise", "医生态度很好，解释得很清楚", "[]"},
		{"empty", "", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fmt.Sprint(Suggest(tt.text))
			if got != tt.want {
				t.Errorf("Suggest(%q) = %s, want %s", tt.text, got, tt.want)
			}
		})
	}
}

// Ensure every keyword is a known style's, in the form folded text has (Simplified, no
// full-width or upper-case letters), and listed once: a keyword that Fold changes could never
// be found.
func TestKeywordsAreFolded(t *testing.T) {
	if len(keywords) != len(Styles) {
		t.Errorf("keywords for %d styles, want %d", len(keywords), len(Styles))
	}
	for code, words := range keywords {
		if !Valid(code) {
			t.Errorf("keywords for unknown style %q", code)
		}
		seen := map[string]bool{}
		for _, w := range words {
			if f := hanzi.Fold(w); f != w || w == "" {
				t.Errorf("%s keyword %q folds to %q", code, w, f)
			}
			if seen[w] {
				t.Errorf("%s keyword %q listed twice", code, w)
			}
			seen[w] = true
		}
	}
}
