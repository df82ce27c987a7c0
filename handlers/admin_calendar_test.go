package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	minsheng "minsheng"
	"minsheng/access"
	"minsheng/handlers"
	"minsheng/lifecycle"
	"minsheng/storage"
	"minsheng/workday"
)

// monday2028 is 10:00 on Monday 24 January 2028 in China, the day before 除夕. The library's
// table ends in 2027, so 2028 has the statutory holidays only: 除夕 to 初三 (01-25 to 01-28)
// off, and no 调休 until the administrator enters them.
var monday2028 = time.Date(2028, 1, 24, 2, 0, 0, 0, time.UTC)

// estimatedNote is what the item page says beside a deadline in such a year; uncoveredNote
// what it said before, when such a year had only weekends off.
const (
	estimatedNote = "调休上班的日子还要管理员录入"
	uncoveredNote = "该年节假日尚未录入"
)

// Ensure a deadline in a year without an official schedule skips the statutory holidays and
// says that the 调休 still need entering, on the item page and on the calendar page; and that
// a day the administrator enters moves deadlines at once, and deleting it moves them back.
func TestCalendarOverrideMovesDeadlines(t *testing.T) {
	t.Parallel()
	if workday.LastLibraryYear() >= 2028 {
		t.Fatalf("lunar-go now covers 2028 (last year %d): move this test to a year it does not cover", workday.LastLibraryYear())
	}
	h := newHarness(t)
	h.clock.Set(monday2028) // before logging in, so the session lives in 2028
	admin := h.addUser(t, storage.NewUser{Username: "管理员", Role: access.Admin})
	b := h.login(t, admin.Username, staffPassword)
	page := b.getCSRF(t, "/admin/calendar")
	wantContains(t, page.Body, "截至 "+strconv.Itoa(workday.LastLibraryYear())+" 年", "还没有录入任何日子",
		`id="uncovered"`, "2028 年、2029 年、2030 年", "已按法定节假日", "调休每年由国务院办公厅另行通知")

	id, _ := h.seed(t, storage.NewOpinion{Content: "春节前反映的问题，请在节后一个工作日内答复。"})
	h.walkTo(t, admin.ID, id, lifecycle.Triaged)

	r := b.post(t, "/admin/calendar", url.Values{"day": {"2028-01-31"}, "kind": {"off"}, "name": {"春节"}})
	wantStatus(t, r, http.StatusSeeOther)
	page = b.get(t, r.location())
	wantContains(t, page.Body, "已保存", "2028-01-31 周一", "春节", "按法定节假日推算：上班", "2029 年、2030 年")
	wantNotContains(t, page.Body, "2028 年、")

	// One working day from Monday 01-24 skips 除夕 to 初三, the weekend and the Monday entered.
	r = b.post(t, "/admin/opinions/"+id+"/status", url.Values{"status": {"assigned"}, "lead_unit": {"bureau"},
		"responsible": {"办公室主任"}, "measures": {"核查"}, "ledger": {"system"}, "deadline_days": {"1"}})
	wantStatus(t, r, http.StatusSeeOther)
	rect, err := h.store.Rectification(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if rect.Deadline != "2028-02-01" {
		t.Fatalf("deadline = %s, want 2028-02-01 (after the statutory days and the day entered)", rect.Deadline)
	}
	item := b.get(t, "/admin/opinions/"+id)
	wantContains(t, item.Body, "2028-02-01", "还剩 1 个工作日")
	wantNotContains(t, item.Body, estimatedNote, uncoveredNote)

	r = b.post(t, "/admin/calendar/delete", url.Values{"day": {"2028-01-31"}})
	wantStatus(t, r, http.StatusSeeOther)
	page = b.get(t, r.location())
	wantContains(t, page.Body, "已删除", "2028 年、2029 年、2030 年")
	wantNotContains(t, page.Body, `id="day-2028-01-31"`)
	item = b.get(t, "/admin/opinions/"+id)
	wantContains(t, item.Body, "2028-02-01", "还剩 2 个工作日", "2028 年的放假安排还没有录入", estimatedNote)
	wantNotContains(t, item.Body, uncoveredNote)

	// A second click on delete is harmless.
	wantStatus(t, b.post(t, "/admin/calendar/delete", url.Values{"day": {"2028-01-31"}}), http.StatusSeeOther)
}

// Ensure overrides already stored are used by a portal started afterwards.
func TestCalendarLoadedAtStart(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	if err := h.store.SetCalendarOverride(ctx, 0, workday.Date{Year: 2026, Month: 4, Day: 16}, workday.Override{Name: "县庆"}); err != nil {
		t.Fatal(err)
	}
	e, err := handlers.New(handlers.Config{Store: h.store, Receipts: h.hasher, Templates: minsheng.TemplatesFS, Static: minsheng.StaticFS})
	if err != nil {
		t.Fatal(err)
	}
	restarted := *h
	restarted.e = e
	b, u := restarted.staff(t) // today is Wednesday 2026-04-15
	id, _ := restarted.seed(t, storage.NewOpinion{})
	restarted.walkTo(t, u.ID, id, lifecycle.Triaged)
	r := b.post(t, "/admin/opinions/"+id+"/status", url.Values{"status": {"assigned"}, "lead_unit": {"bureau"},
		"responsible": {"办公室主任"}, "measures": {"核查"}, "ledger": {"system"}, "deadline_days": {"1"}})
	wantStatus(t, r, http.StatusSeeOther)
	if rect, _ := h.store.Rectification(ctx, id); rect.Deadline != "2026-04-17" {
		t.Fatalf("deadline = %s, want 2026-04-17 (the stored day off 04-16 skipped)", rect.Deadline)
	}
}

func TestCalendarForm(t *testing.T) {
	t.Parallel()
	h, b, _ := adminHarness(t)
	tests := []struct {
		name  string
		form  url.Values
		want  int
		msg   string
		keeps string // typed text the refused form must show again
	}{
		{"no date", url.Values{"kind": {"off"}, "name": {"春节"}}, 422, "请选择日期（例如 2027-02-08）。", `value="春节"`},
		{"impossible date", url.Values{"day": {"2027-02-30"}, "kind": {"off"}, "name": {"春节"}}, 422, "请选择日期", `value="2027-02-30"`},
		{"year out of range", url.Values{"day": {"1999-10-01"}, "kind": {"off"}}, 422, "日期需要在 2000 年到 2100 年之间。", `value="1999-10-01"`},
		{"no kind", url.Values{"day": {"2027-10-01"}, "name": {"国庆节"}}, 422, "请选择这一天放假还是上班。", `value="国庆节"`},
		{"name too long", url.Values{"day": {"2027-10-01"}, "kind": {"off"}, "name": {strings.Repeat("节", 21)}}, 422,
			"名称太长了：最多 20 个字，现在是 21 个字。", `value="2027-10-01"`},
		{"a working Sunday", url.Values{"day": {"2026-04-19"}, "kind": {"work"}, "name": {"春节调休"}}, 303, "", ""},
		{"replacing a day", url.Values{"day": {"2026-04-19"}, "kind": {"off"}}, 303, "", ""},
		{"delete a malformed day", nil, 422, "没有这一天的设置。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/admin/calendar"
			if tt.form == nil {
				path, tt.form = "/admin/calendar/delete", url.Values{"day": {"soon"}}
			}
			r := b.post(t, path, tt.form)
			wantStatus(t, r, tt.want)
			wantContains(t, r.Body, tt.msg, tt.keeps)
		})
	}
	o, err := h.store.CalendarOverrides(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(o) != 1 || o[workday.Date{Year: 2026, Month: 4, Day: 19}] != (workday.Override{}) {
		t.Errorf("stored %v, want only 2026-04-19 off with no name", o)
	}
	page := b.get(t, "/admin/calendar")
	// Without the override 2026-04-19 is an ordinary Sunday; the page says so beside it.
	wantContains(t, page.Body, "2026-04-19 周日", "放假（周末）")
}
