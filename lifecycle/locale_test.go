package lifecycle

import (
	"testing"

	"minsheng/locale"
)

// TestWordsInEachLanguage: a status's three sets of words come from the catalog in the reader's
// language, and the Label and Public fields stay the zh-CN words.
func TestWordsInEachLanguage(t *testing.T) {
	tests := []struct {
		name                 string
		lang, code           string
		label, public, board string
	}{
		{"zh-CN as before", locale.ZhCN, LookBack, "回头看", "正在复查整改效果", "正在复查整改效果"},
		{"zh-Hant", locale.ZhHant, Closed, "已銷號", "已辦結", "已辦結"},
		{"en", locale.En, LookBack, "Look-back review (回头看)", "We are checking that the fix has worked",
			"Checking that the fix has worked"},
		{"unknown code shows itself", locale.En, "nonesuch", "nonesuch", "nonesuch", "nonesuch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := locale.Get(tt.lang)
			s := find(tt.code)
			if got := s.In(p); got != tt.label {
				t.Errorf("In = %q, want %q", got, tt.label)
			}
			if got := s.PublicIn(p); got != tt.public {
				t.Errorf("PublicIn = %q, want %q", got, tt.public)
			}
			if got := BoardIn(p, tt.code); got != tt.board {
				t.Errorf("BoardIn = %q, want %q", got, tt.board)
			}
			zh := locale.Get(locale.ZhCN)
			if s.Label != s.In(zh) || s.Public != s.PublicIn(zh) {
				t.Errorf("the Label and Public fields of %q are not the zh-CN words", tt.code)
			}
		})
	}
}
