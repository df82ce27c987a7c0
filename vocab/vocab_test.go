package vocab

import "testing"

func TestLabelAndValid(t *testing.T) {
	tests := []struct {
		name  string
		terms []Term
		code  string
		label string
		valid bool
	}{
		{"type", Types, "report", "举报", true},
		{"praise", Types, "praise", "表扬", true},
		{"submitter", Submitters, "family", "家属", true},
		{"unknown type keeps its code", Types, "rumour", "rumour", false},
		{"empty", Submitters, "", "", false},
		{"case matters", Types, "Report", "Report", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Label(tt.terms, tt.code); got != tt.label {
				t.Errorf("Label = %q, want %q", got, tt.label)
			}
			if got := Valid(tt.terms, tt.code); got != tt.valid {
				t.Errorf("Valid = %v, want %v", got, tt.valid)
			}
		})
	}
}
