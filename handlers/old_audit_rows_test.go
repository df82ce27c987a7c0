package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/internal/storetest"
	"minsheng/lifecycle"
	"minsheng/locale"
)

// writeOldRows writes what versions before #17 stored for opinion id: audit details with
// Chinese words (涉及班子, 查无实据, 追责) and, when note is not empty, a rectification note.
func (h *harness) writeOldRows(t *testing.T, userID int64, id, note string) {
	t.Helper()
	for _, row := range [][2]string{{"classify", "level=department 涉及班子"}, {"flags", "查无实据,追责"}} {
		storetest.AddAuditRow(t, h.store, userID, row[0], id, row[1], baseTime)
	}
	if note != "" {
		storetest.SetRectificationNote(t, h.store, id, note)
	}
}

// auditList is the markup of an item page's history list.
func auditList(t *testing.T, body string) string {
	t.Helper()
	_, list, ok := strings.Cut(body, `<ul class="audit">`)
	if list, _, ok = strings.Cut(list, "</ul>"); !ok {
		t.Fatal("no history list on the item page")
	}
	return list
}

// Ensure an item's history reads the same for rows written before #17 (Chinese words in the
// details) as for rows written now (codes), in Chinese and in English, and so does the note a
// submitter's 不满意 leaves, old or new.
func TestOldAndNewAuditRowsReadAlike(t *testing.T) {
	t.Parallel()
	const words = "窗口还是只开一个"
	tests := []struct {
		name, lang      string
		classify, flags string // the history line of each, written twice: once old, once new
		note            string
		never           []string
	}{
		{"Simplified Chinese", locale.ZhCN, "分类 · 问题层次：科室；涉及班子", "标记 · 查无实据、追责",
			"留言人不满意（补课返工）：" + words, []string{"about_leadership", "unfounded", "accountability", "rating=dissatisfied"}},
		{"English", locale.En, "Classified · Level: A department; concerns the leadership (涉及班子)",
			"Flagged · unfounded (查无实据), held to account (追责)",
			"The writer was not satisfied, so the work went back for rework (补课返工): " + words,
			[]string{"about_leadership", "accountability,", "rating=dissatisfied", "留言人不满意", "问题层次", "查无实据、"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newItemFixture(t).speaking(t, tt.lang)
			f.h.walkTo(t, f.user.ID, f.id, lifecycle.Satisfaction)
			f.action(t, "classify", url.Values{"level": {"department"}, "about_leadership": {"1"}})
			f.action(t, "flags", url.Values{"accountability": {"1"}, "unfounded": {"1"}})
			f.h.writeOldRows(t, f.user.ID, f.id, "")
			if err := f.h.store.Rate(context.Background(), f.id, "dissatisfied", " "+words+" "); err != nil {
				t.Fatalf("Rate: %v", err)
			}
			latestNote := "<dd class=\"pre\">" + tt.note + "</dd>"
			r := f.b.get(t, "/admin/opinions/"+f.id)
			wantStatus(t, r, http.StatusOK)
			for _, line := range []string{tt.classify, tt.flags} {
				if n := strings.Count(r.Body, line); n != 2 {
					t.Errorf("%q shows %d times, want 2 (the old row and the new one)", line, n)
				}
			}
			wantContains(t, r.Body, latestNote)
			wantNotContains(t, auditList(t, r.Body), tt.never...)

			f.h.writeOldRows(t, f.user.ID, f.id, "留言人不满意（补课返工）："+words)
			r = f.b.get(t, "/admin/opinions/"+f.id)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, latestNote)
		})
	}
}
