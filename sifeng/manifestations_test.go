package sifeng

import (
	"regexp"
	"strings"
	"testing"
)

func TestManifestationsCoverEveryStyle(t *testing.T) {
	codeShape := regexp.MustCompile(`^[a-z]+-[a-z]+$`)
	seen := map[string]bool{}
	labels := map[string]bool{}
	for _, m := range Manifestations {
		switch {
		case seen[m.Code]:
			t.Errorf("code %q used twice", m.Code)
		case labels[m.Label]:
			t.Errorf("label %q used twice", m.Label)
		case !codeShape.MatchString(m.Code) || !strings.HasPrefix(m.Code, m.Style+"-"):
			t.Errorf("code %q should read <style>-<word> with style %q", m.Code, m.Style)
		case !Valid(m.Style):
			t.Errorf("%q has unknown style %q", m.Code, m.Style)
		case m.Label == "":
			t.Errorf("%q has no label", m.Code)
		}
		seen[m.Code], labels[m.Label] = true, true
	}
	for _, s := range Styles {
		if n := len(ManifestationsOf(s.Code)); n < 6 || n > 10 {
			t.Errorf("%s has %d manifestations, want 6 to 10", s.Label, n)
		}
	}
}

func TestManifestationLookups(t *testing.T) {
	tests := []struct {
		name, code   string
		valid        bool
		style, label string
	}{
		{"formalism", "formalism-falsify", true, "formalism", "弄虚作假"},
		{"bureaucratism", "bureaucratism-hard", true, "bureaucratism", "门难进、脸难看、事难办"},
		{"hedonism", "hedonism-drinking", true, "hedonism", "工作日饮酒"},
		{"extravagance", "extravagance-slushfund", true, "extravagance", "私设“小金库”"},
		{"a style is not a manifestation", "formalism", false, "", "formalism"},
		{"unknown", "formalism-nope", false, "", "formalism-nope"},
		{"empty", "", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidManifestation(tt.code); got != tt.valid {
				t.Errorf("ValidManifestation(%q) = %v, want %v", tt.code, got, tt.valid)
			}
			if got := StyleOf(tt.code); got != tt.style {
				t.Errorf("StyleOf(%q) = %q, want %q", tt.code, got, tt.style)
			}
			if got := ManifestationLabel(tt.code); got != tt.label {
				t.Errorf("ManifestationLabel(%q) = %q, want %q", tt.code, got, tt.label)
			}
		})
	}
	if got := ManifestationsOf("laziness"); got != nil {
		t.Errorf("ManifestationsOf(unknown) = %v, want none", got)
	}
	if first := ManifestationsOf("formalism")[0]; first.Code != "formalism-unsolid" {
		t.Errorf("first formalism manifestation = %q, want display order kept", first.Code)
	}
}
