package sifeng

import "testing"

func TestStyles(t *testing.T) {
	want := []struct{ code, label string }{
		{"formalism", "形式主义"}, {"bureaucratism", "官僚主义"}, {"hedonism", "享乐主义"}, {"extravagance", "奢靡之风"},
	}
	if len(Styles) != len(want) {
		t.Fatalf("%d styles, want the four", len(Styles))
	}
	for i, w := range want {
		if Styles[i].Code != w.code || Label(w.code) != w.label || !Valid(w.code) || Styles[i].Description == "" {
			t.Errorf("style %d = %+v, want %s %s with a description", i, Styles[i], w.code, w.label)
		}
	}
	if Valid("laziness") || Label("laziness") != "laziness" {
		t.Error("an unknown style is treated as known")
	}
}
