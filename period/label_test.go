package period

import (
	"testing"

	"minsheng/locale"
)

func TestLabel(t *testing.T) {
	tests := []struct {
		spelled, zh, en string
	}{
		{"2026-12", "2026年12月", "December 2026"},
		{"2026-Q4", "2026年第四季度", "Q4 2026"},
		{"2026-H2", "2026年下半年", "Second half of 2026"},
		{"2026-H1", "2026年上半年", "First half of 2026"},
		{"2026", "2026年", "2026"},
		{"2026-11-01..2026-12-15", "2026年11月1日至12月15日", "1 November – 15 December 2026"},
		{"2026-12-20..2027-01-10", "2026年12月20日至2027年1月10日", "20 December 2026 – 10 January 2027"},
		{"2026-12-07..2026-12-07", "2026年12月7日", "7 December 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.spelled, func(t *testing.T) {
			p, err := Parse(tt.spelled)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Label(locale.Get(locale.Default)); got != tt.zh {
				t.Errorf("zh-CN %q, want %q", got, tt.zh)
			}
			if got := p.Label(locale.Get(locale.En)); got != tt.en {
				t.Errorf("en %q, want %q", got, tt.en)
			}
		})
	}
}
