package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"minsheng/lifecycle"
	"minsheng/locale"
)

// speaking makes the fixture's reviewer read the staff pages in lang, as their profile says.
func (f *itemFixture) speaking(t *testing.T, lang string) *itemFixture {
	t.Helper()
	if err := f.h.store.SetLanguage(context.Background(), f.user.ID, lang); err != nil {
		t.Fatalf("SetLanguage(%s): %v", lang, err)
	}
	return f
}

// Ensure the item page speaks the reviewer's language: its headings and buttons, the status,
// the four styles, the deadline with its working days and the history, where an audit row's
// codes and the Chinese words storage keeps (涉及班子, 追责) are said in that language too.
func TestItemPageInTheReviewersLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, lang string
		want       func(deadline time.Time) []string
		never      []string
	}{
		{"English", locale.En, func(d time.Time) []string {
			return []string{`<html lang="en"`, "Back to the queue", "Four styles (四风)", "Save the tags",
				"Bureaucratism (官僚主义)", `<span id="current-status">Assigned (已交办)</span>`,
				"Deadline (整改时限)", d.Format("2 Jan 2006"), "5 working days left",
				"Print the assignment sheet (交办单)", "Reply to the writer", "Internal notes", "<h2>History</h2>",
				"Classified · Level: A department; concerns the leadership (涉及班子)",
				"Tagged the four styles (四风) · Bureaucratism (官僚主义)",
				"Flagged · held to account (追责)",
				"Changed the status · Sorted (已分类) → Assigned (已交办)",
				"Change to “Being put right (整改中)”"}
		}, []string{"返回队列", "处理记录", "保存标注", "还剩", "个工作日", "问题层次：", "涉及本单位"}},
		{"Traditional Chinese", locale.ZhHant, func(d time.Time) []string {
			return []string{`<html lang="zh-Hant"`, "返回隊列", "四風標註", "保存標註", "官僚主義",
				`<span id="current-status">已交辦</span>`, "整改時限", d.Format("2006-01-02"), "還剩 5 個工作日",
				"打印交辦單", "<h2>處理記錄</h2>", "分類 · 問題層次：科室；涉及班子", "標註四風 · 官僚主義",
				"標記 · 追責", "更改狀態 · 已分類→已交辦", "改爲“整改中”"}
		}, []string{"返回队列", "处理记录", "四风标注", "还剩"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newItemFixture(t).speaking(t, tt.lang)
			f.action(t, "classify", url.Values{"level": {"department"}, "about_leadership": {"1"}})
			f.action(t, "styles", url.Values{"style": {"bureaucratism"}})
			f.action(t, "flags", url.Values{"accountability": {"1"}})
			f.action(t, "status", url.Values{"status": {lifecycle.Assigned}, "lead_unit": {"county-hospital"},
				"responsible": {"急诊科主任"}, "measures": {"调整排班"}, "ledger": {"problem"}, "deadline_days": {"5"}})
			rect, err := f.h.store.Rectification(context.Background(), f.id)
			if err != nil {
				t.Fatal(err)
			}
			deadline, err := time.Parse("2006-01-02", rect.Deadline)
			if err != nil {
				t.Fatalf("deadline %q: %v", rect.Deadline, err)
			}
			r := f.b.get(t, "/admin/opinions/"+f.id)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.want(deadline)...)
			wantNotContains(t, r.Body, tt.never...)
		})
	}
}

// Ensure a refused step tells an English-speaking reviewer what is missing in English, a move
// the lifecycle does not allow names both statuses in English, and a text problem names its field.
func TestItemProblemsInEnglish(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, what string
		vals       url.Values
		want       []string
	}{
		{"a step missing its fields", "status", url.Values{"status": {lifecycle.Assigned}, "ledger": {"problem"}},
			[]string{"This step is missing something: please see the notes in red.", "Please choose the lead unit.",
				"Please name the person responsible.", "Please write the measures.", "Please give the deadline (a date)."}},
		{"a move the lifecycle does not allow", "status", url.Values{"status": {lifecycle.Received}},
			[]string{"An opinion in “Sorted (已分类)” cannot be changed to “To be sorted (待梳理)”."}},
		{"an unknown lead unit", "status", url.Values{"status": {lifecycle.Assigned}, "lead_unit": {"no-such-unit"},
			"responsible": {"主任"}, "measures": {"核查"}, "ledger": {"problem"}, "deadline_days": {"3"}},
			[]string{"Please choose the lead unit from the list."}},
		{"an empty reply", "reply", url.Values{"reply": {" "}}, []string{"Reply: cannot be empty."}},
		{"an unknown level", "classify", url.Values{"level": {"galaxy"}}, []string{"Please choose a level from the list."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newItemFixture(t).speaking(t, locale.En)
			f.h.walkTo(t, f.user.ID, f.id, lifecycle.Triaged)
			r := f.b.post(t, "/admin/opinions/"+f.id+"/"+tt.what, tt.vals)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.want...)
			wantNotContains(t, r.Body, "请", "不能")
		})
	}
}

// Ensure the 交办单 prints in the reader's language: its headings, the steps the unit must
// take, the status, the ledger and the deadline as English writes them; and that the refusal
// before the opinion is handed out is in English too.
func TestAssignmentSheetInEnglish(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t).speaking(t, locale.En)
	sheet := "/admin/opinions/" + f.id + "/sheet"
	r := f.b.get(t, sheet)
	wantStatus(t, r, http.StatusConflict)
	wantContains(t, r.Body, "The assignment sheet cannot be printed yet", "Assigned (已交办)")
	wantNotContains(t, r.Body, "还不能打印交办单")

	f.h.walkTo(t, f.user.ID, f.id, lifecycle.Assigned)
	f.action(t, "styles", url.Values{"style": {"formalism", "hedonism"}})
	r = f.b.get(t, sheet)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "Rectification assignment sheet (交办单)", "assigned on 15 Apr 2026",
		"Level: Not decided; four styles (四风): Formalism (形式主义), Hedonism (享乐主义)",
		"Specific problems (具体问题整改)", `<strong id="sheet-deadline">1 Jan 2030</strong>`, "working days left when printed)",
		"<td>Assigned (已交办)</td>",
		"Open opinion "+f.id+" on Minsheng", "Finish by 1 Jan 2030",
		"Head of the unit", "printed 15 Apr 2026", "To print, press")
	wantNotContains(t, r.Body, "交办日期", "办理要求", "签收", "打印：按", "个工作日")
}
