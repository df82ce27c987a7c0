package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"minsheng/storage"
)

// hasFormatChar reports whether s holds a Unicode format character (bidi controls, zero-width
// characters and the like): what no stored text may carry.
func hasFormatChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0
}

// TestTypedTextStoredWithoutInvisibleCharacters: bidi overrides and zero-width characters typed
// (or pasted) into a public form or a staff form never reach the database, so stored text can
// never show on a reviewer's screen in another order than it was written.
func TestTypedTextStoredWithoutInvisibleCharacters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()

	// The person pastes text whose last part is reversed on screen by U+202E (RLO), with a name
	// split by zero-width spaces and a left-to-right mark in the department.
	v := validOpinion()
	v.Set("content", "收费员王\u200B五\u200B六收了我\u202E元005\u202C，还说\u2066别告诉别人\u2069。")
	v.Set("dept", "门诊\u200E收费处\uFEFF")
	v.Set("contact", "\u2067微信 abc123\u2069")
	r := h.browser().submit(t, v)
	wantStatus(t, r, http.StatusOK)
	page, err := h.store.ListOpinions(ctx, storage.OpinionFilter{}, storage.Cursor{}, 10)
	if err != nil || len(page.Opinions) != 1 {
		t.Fatalf("ListOpinions: %v, %d opinions", err, len(page.Opinions))
	}
	o, err := h.store.Opinion(ctx, page.Opinions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string][2]string{
		"content": {o.Content, "收费员王五六收了我元005，还说别告诉别人。"},
		"dept":    {o.Dept, "门诊收费处"},
		"contact": {o.Contact, "微信 abc123"},
	}
	for field, got := range stored {
		if got[0] != got[1] {
			t.Errorf("stored %s = %+q, want %+q", field, got[0], got[1])
		}
	}

	// Staff forms go through the same cleaning: a reply and an internal note.
	staff, _ := h.staff(t)
	item := "/admin/opinions/" + o.ID
	wantStatus(t, staff.post(t, item+"/reply", url.Values{"reply": {"已核实\u202E，退还\u202C款项。"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(t, item+"/note", url.Values{"note": {"\u200D经办人\u2060：李\u200C四"}}), http.StatusSeeOther)
	o, err = h.store.Opinion(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "已核实，退还款项。"; o.Reply != want {
		t.Errorf("stored reply = %+q, want %+q", o.Reply, want)
	}
	notes, err := h.store.Notes(ctx, o.ID)
	if err != nil || len(notes) != 1 {
		t.Fatalf("Notes: %v, %d notes", err, len(notes))
	}
	if want := "经办人：李四"; notes[0].Body != want {
		t.Errorf("stored note = %+q, want %+q", notes[0].Body, want)
	}

	// A search typed with a zero-width space still finds the opinion: the query is cleaned too.
	q := staff.get(t, "/admin/queue?q="+url.QueryEscape("王\u200B五"))
	wantStatus(t, q, http.StatusOK)
	wantContains(t, q.Body, o.ID)
	if hasFormatChar(q.Body) {
		t.Errorf("the queue page shows a format character back")
	}
}

// TestMalformedFormIsRefused: a body that is not a valid form (a stray %zz) is answered 400, and
// never reaches a handler that would read it as an empty form.
func TestMalformedFormIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	b.getCSRF(t, "/submit")
	r := b.do(t, http.MethodPost, "/submit", "_csrf="+url.QueryEscape(b.token)+"&content=%zz", "application/x-www-form-urlencoded")
	wantStatus(t, r, http.StatusBadRequest)
	if n := h.countOpinions(t); n != 0 {
		t.Errorf("%d opinions stored from a malformed form", n)
	}
}
