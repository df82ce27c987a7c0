package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minsheng/storage"
)

// TestSuggestCommand: JSON lines in, one JSON line out per input, in order, with only what the
// portal would suggest; without -db the starting model, with -db the portal's, and the database
// file is not changed by it. (-retrain is the learner's Retrain, tested in package tagging on a
// sample of the corpus: the full corpus takes minutes to learn under the race detector.)
func TestSuggestCommand(t *testing.T) {
	in := `{"id": "a", "text": "办个证跑了四趟，窗口说不归他们管，又让去别的科室开证明"}
{"id": "b", "text": "住院部三楼的热水器坏了，请修一下"}
{"id": "c", "text": "感謝急診科的醫生護士，半夜搶救我父親，非常負責"}
`
	type label struct {
		Code, Label string
		Score       float64
	}
	type answer struct {
		ID           string
		Styles, Tags []label
	}
	read := func(t *testing.T, out string) []answer {
		t.Helper()
		var got []answer
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var a answer
			if err := json.Unmarshal([]byte(line), &a); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			got = append(got, a)
		}
		return got
	}
	out, _, status, err := runWith(t, nil, in, "suggest")
	if err != nil || status != 0 {
		t.Fatalf("suggest: status %d, %v", status, err)
	}
	got := read(t, out)
	if len(got) != 3 || got[0].ID != "a" || got[1].ID != "b" || got[2].ID != "c" {
		t.Fatalf("answers = %+v, want a, b, c in order", got)
	}
	if len(got[0].Styles) == 0 || got[0].Styles[0].Code != "bureaucratism" || got[0].Styles[0].Label != "官僚主义" {
		t.Errorf("a: styles %+v, want 官僚主义 first", got[0].Styles)
	}
	if len(got[1].Styles) != 0 {
		t.Errorf("b (hot water): styles %+v, want none", got[1].Styles)
	}
	for _, s := range append(got[0].Styles, got[0].Tags...) {
		if s.Score <= 0 || s.Score > 1 || s.Label == "" {
			t.Errorf("a: suggestion %+v needs a label and a score in (0, 1]", s)
		}
	}

	db := filepath.Join(t.TempDir(), "portal.db")
	store, err := storage.Open(t.Context(), db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	out2, _, status, err := runWith(t, nil, in, "suggest", "-db", db)
	if err != nil || status != 0 {
		t.Fatalf("suggest -db: status %d, %v", status, err)
	}
	if out2 != out {
		t.Errorf("a new portal uses the starting model: got\n%s\nwant\n%s", out2, out)
	}
	after, err := os.ReadFile(db)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("suggest -db changed the database file (%v)", err)
	}
	_, _, status, _ = runWith(t, nil, "", "suggest", "-db", filepath.Join(t.TempDir(), "none.db"))
	if status != 1 {
		t.Errorf("suggest with a missing database: status %d, want 1", status)
	}
}
