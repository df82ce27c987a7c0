package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

var (
	sidebarCountRe = regexp.MustCompile(`id="count-([a-z]+)"[^>]*>[^<]*<span class="count">(\d+)</span>`)
	savedFilterRe  = regexp.MustCompile(`<a href="([^"]*)" class="saved-filter">([^<]*)</a>`)
	deleteFilterRe = regexp.MustCompile(`action="/admin/filters/(\d+)/delete"`)
)

// sidebarCounts reads the sidebar's counts: status code (and "all", "overdue") → number.
func sidebarCounts(t *testing.T, body string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range sidebarCountRe.FindAllStringSubmatch(body, -1) {
		n, err := strconv.Atoi(m[2])
		if err != nil {
			t.Fatal(err)
		}
		out[m[1]] = n
	}
	if len(out) != len(lifecycle.Statuses)+2 {
		t.Fatalf("sidebar shows %d counts, want every status, 全部 and 逾期: %v", len(out), out)
	}
	return out
}

// savedFilters reads the sidebar's saved filters: name → link.
func savedFilters(body string) map[string]string {
	out := map[string]string{}
	for _, m := range savedFilterRe.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[2])] = html.UnescapeString(m[1])
	}
	return out
}

// newCountsWorld is the role world with opinions in more statuses, two of them overdue.
func newCountsWorld(t *testing.T) *roleWorld {
	t.Helper()
	w := newRoleWorld(t)
	extra := []struct {
		name, typ, unit, status, deadline string
	}{
		{"county rectifying late", "complaint", "county-hospital", lifecycle.Rectifying, "2026-04-01"},
		{"county closed late", "opinion", "county-hospital", lifecycle.Closed, "2026-01-05"}, // done: not 逾期
		{"tcm received", "praise", "tcm-hospital", lifecycle.Received, ""},
		{"report received", "report", "bureau", lifecycle.Received, ""},
		{"bureau rejected", "complaint", "bureau", lifecycle.Rejected, ""},
	}
	for _, e := range extra {
		id, _ := w.h.seed(t, storage.NewOpinion{Type: e.typ, UnitCode: e.unit, Content: "对象「" + e.name + "」的意见内容。"})
		w.h.walkTo(t, 0, id, e.status)
		if e.deadline != "" {
			w.h.setDeadline(t, id, e.deadline)
		}
		w.ids[e.name] = id
	}
	w.h.setDeadline(t, w.ids["county complaint"], "2026-04-14")  // 已交办, a day late
	w.h.setDeadline(t, w.ids["misconduct report"], "2026-03-01") // 纪检's only late one
	return w
}

// Ensure the sidebar counts, for each role and filter, exactly what the list then shows for
// each status, ignore the filter's own status, and count 逾期 within the same scope.
func TestQueueStatusCountsMatchList(t *testing.T) {
	t.Parallel()
	w := newCountsWorld(t)
	tests := []struct {
		role, query      string
		wantAll, overdue int
	}{
		{"reviewer", "", 7, 2},
		{"reviewer", "status=closed", 7, 2}, // the counts ignore the status filter
		{"reviewer", "unit=county-hospital", 4, 2},
		{"reviewer", "type=complaint", 4, 2},
		{"reviewer", "type=praise", 1, 0},
		{"reviewer", "month=2026-03", 0, 0},
		{"supervisor", "", 7, 2},
		{"liaison-county", "", 3, 2}, // never its own leadership, never unassigned work
		{"liaison-county", "type=opinion", 1, 0},
		{"liaison-qingshan", "", 0, 0},
		{"discipline", "", 2, 1},
		{"discipline", "unit=bureau", 1, 0},
		{"leader-tcm", "", 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.role+" "+tc.query, func(t *testing.T) {
			b := w.browsers[tc.role]
			r := b.get(t, "/admin/queue?"+tc.query)
			wantStatus(t, r, http.StatusOK)
			got := sidebarCounts(t, r.Body)
			if got["all"] != tc.wantAll || got["overdue"] != tc.overdue {
				t.Errorf("全部 %d, 逾期 %d; want %d, %d", got["all"], got["overdue"], tc.wantAll, tc.overdue)
			}
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			q.Del("status")
			all := queueIDs(b.get(t, "/admin/queue?"+q.Encode()).Body)
			if len(all) != got["all"] {
				t.Errorf("全部 says %d, the list shows %d", got["all"], len(all))
			}
			sum := 0
			for _, st := range lifecycle.Statuses {
				q.Set("status", st.Code)
				listed := queueIDs(b.get(t, "/admin/queue?"+q.Encode()).Body)
				if len(listed) != got[st.Code] {
					t.Errorf("%s: sidebar says %d, the list shows %d", st.Label, got[st.Code], len(listed))
				}
				sum += got[st.Code]
			}
			if sum != got["all"] {
				t.Errorf("the statuses add up to %d, 全部 says %d", sum, got["all"])
			}
		})
	}
}

// Ensure each count links to the queue with its status set and the other filters kept.
func TestQueueStatusCountLinks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	h.seed(t, storage.NewOpinion{})
	r := b.get(t, "/admin/queue?type=complaint&status=received")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body,
		`href="/admin/queue?status=triaged&amp;type=complaint" id="count-triaged"`,
		`href="/admin/queue?status=received&amp;type=complaint" id="count-received" class="current"`,
		`href="/admin/queue?type=complaint" id="count-all"`,
		`href="/admin/overdue" id="count-overdue"`)
}

// postFilter saves the queue's filter (as hidden fields) under name.
func postFilter(t *testing.T, b *browser, name string, filter url.Values) *response {
	t.Helper()
	v := url.Values{"name": {name}}
	for k, vs := range filter {
		v[k] = vs
	}
	return b.post(t, "/admin/filters", v)
}

func TestSavedFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a, _ := h.staff(t)
	other := h.newStaff(t, "审核员乙")
	b := h.login(t, other.Username, staffPassword)
	b.getCSRF(t, "/admin/queue")
	f := newQueueFixture(t, h, other)

	r := a.get(t, "/admin/queue")
	wantContains(t, r.Body, "还没有保存的筛选。")

	// Save: back to the same filter, and the filter is listed from then on.
	r = postFilter(t, a, " 县医院投诉 ", url.Values{"unit": {"county-hospital"}, "type": {"complaint"}, "style": {"bogus"}})
	wantStatus(t, r, http.StatusSeeOther)
	if got, want := r.location(), "/admin/queue?type=complaint&unit=county-hospital"; got != want {
		t.Errorf("after saving: Location %q, want %q", got, want)
	}
	saved := savedFilters(a.get(t, "/admin/queue").Body)
	link, ok := saved["县医院投诉"]
	if !ok {
		t.Fatalf("saved filter not listed: %v", saved)
	}
	if link != "/admin/queue?type=complaint&unit=county-hospital" {
		t.Errorf("saved filter links to %q (an unknown style must be dropped)", link)
	}
	// Apply: the link shows what the filter shows.
	if got, want := queueIDs(a.get(t, link).Body), f.idsOf("A"); !slices.Equal(got, want) {
		t.Errorf("applying the saved filter lists %v, want %v", got, want)
	}
	wantStatus(t, postFilter(t, a, "全部待梳理", url.Values{"status": {"received"}}), http.StatusSeeOther)

	// Another person neither sees nor deletes it.
	page := a.get(t, "/admin/queue").Body
	ids := deleteFilterRe.FindAllStringSubmatch(page, -1)
	if len(ids) != 2 {
		t.Fatalf("want 2 delete buttons, got %v", ids)
	}
	if got := savedFilters(b.get(t, "/admin/queue").Body); len(got) != 0 {
		t.Errorf("another reviewer sees %v", got)
	}
	for _, m := range ids {
		wantStatus(t, b.post(t, "/admin/filters/"+m[1]+"/delete", nil), http.StatusNotFound)
	}
	if got := savedFilters(a.get(t, "/admin/queue").Body); len(got) != 2 {
		t.Errorf("after another person's delete, %d filters left, want 2", len(got))
	}
	// The same name is theirs to use.
	wantStatus(t, postFilter(t, b, "县医院投诉", nil), http.StatusSeeOther)

	// Delete one's own: back to the queue as it was, and gone from the list.
	r = a.post(t, "/admin/filters/"+ids[0][1]+"/delete", url.Values{"month": {"2026-04"}})
	wantStatus(t, r, http.StatusSeeOther)
	if got := r.location(); got != "/admin/queue?month=2026-04" {
		t.Errorf("after deleting: Location %q", got)
	}
	if got := savedFilters(a.get(t, "/admin/queue").Body); len(got) != 1 {
		t.Errorf("after deleting, %v left, want 1", got)
	}
	wantStatus(t, a.post(t, "/admin/filters/"+ids[0][1]+"/delete", nil), http.StatusNotFound)
	wantStatus(t, a.post(t, "/admin/filters/abc/delete", nil), http.StatusNotFound)
	wantStatus(t, a.post(t, "/admin/filters/99999/delete", nil), http.StatusNotFound)
}

// Ensure a bad name shows the queue again with the message next to the field, the name as
// typed and the filter still applied, and saves nothing.
func TestSavedFilterBadName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	f := newQueueFixture(t, h, u)
	wantStatus(t, postFilter(t, b, "本月", nil), http.StatusSeeOther)
	long := strings.Repeat("长", 31)
	tests := []struct {
		name, typed, msg string
	}{
		{"empty", "", "请给这个筛选起个名字。"},
		{"only spaces", "   ", "请给这个筛选起个名字。"},
		{"too long", long, "名字太长了：最多 30 个字，现在是 31 个字。"},
		{"control character", "本月\n待办", "名字含有无法识别的字符"},
		{"taken", "本月", "您已有一个叫这个名字的筛选"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := postFilter(t, b, tc.typed, url.Values{"unit": {"tcm-hospital"}})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, `<p class="field-error" role="alert">`+html.EscapeString(tc.msg),
				`name="name" maxlength="30" value="`+html.EscapeString(tc.typed)+`"`,
				`<input type="hidden" name="unit" value="tcm-hospital">`)
			if got, want := queueIDs(r.Body), f.idsOf("BC"); !slices.Equal(got, want) {
				t.Errorf("the queue behind the form lists %v, want the filter's %v", got, want)
			}
		})
	}
	saved, err := h.store.SavedFilters(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 1 {
		t.Errorf("%d filters saved, want only the first", len(saved))
	}
	// Thirty characters exactly is fine.
	wantStatus(t, postFilter(t, b, strings.Repeat("长", 30), nil), http.StatusSeeOther)
}
