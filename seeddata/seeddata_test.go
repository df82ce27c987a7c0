package seeddata

import (
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

var units = []storage.Unit{{Code: "bureau"}, {Code: "county-hospital"}, {Code: "qingshan-thc"}}

// Ensure made-up opinions are valid by the portal's own rules, varied, dated inside the
// window, and the same for the same seed.
func TestGeneratorMakesValidVariedOpinions(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	g := New(42, units, today, 24)
	seenType, seenUnit, seenStatus, contents := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	tagged := 0
	for i := 0; i < 2000; i++ {
		o := g.Next()
		if !vocab.Valid(vocab.Types, o.Type) || !vocab.Valid(vocab.Submitters, o.Submitter) || !lifecycle.Valid(o.Status) {
			t.Fatalf("invalid codes: %+v", o)
		}
		if n := utf8.RuneCountInString(o.Content); n < 10 || n > 5000 {
			t.Fatalf("content of %d characters: %q", n, o.Content)
		}
		day, err := time.Parse("2006-01-02", o.CreatedOn)
		if err != nil || day.After(today) || day.Before(today.AddDate(0, 0, -24*30)) {
			t.Fatalf("date %q outside the window", o.CreatedOn)
		}
		for _, s := range o.Styles {
			if !sifeng.Valid(s) {
				t.Fatalf("unknown style %q", s)
			}
		}
		if o.Status == lifecycle.Duplicate {
			t.Fatalf("a made-up duplicate points nowhere: %+v", o)
		}
		if lifecycle.Open(o.Status) && o.Rectification == nil {
			t.Fatalf("status %s without rectification details", o.Status)
		}
		if len(o.Styles) > 0 {
			tagged++
		}
		seenType[o.Type], seenUnit[o.UnitCode], seenStatus[o.Status], contents[o.Content] = true, true, true, true
	}
	if len(seenType) != len(vocab.Types) || len(seenUnit) != len(units) || len(seenStatus) != len(lifecycle.Statuses)-1 {
		t.Errorf("not every type, unit and status appears: %d %d %d", len(seenType), len(seenUnit), len(seenStatus))
	}
	if tagged == 0 || tagged == 2000 || len(contents) < 200 {
		t.Errorf("too little variety: %d tagged, %d distinct texts", tagged, len(contents))
	}
	a, b := New(7, units, today, 3), New(7, units, today, 3)
	for i := 0; i < 50; i++ {
		if x, y := a.Next(), b.Next(); !reflect.DeepEqual(x, y) {
			t.Fatalf("same seed, different opinion %d: %+v vs %+v", i, x, y)
		}
	}
}
