package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"minsheng/storage"
)

var (
	queueItemRe = regexp.MustCompile(`href="/admin/opinions/([A-Z0-9]+)" class="item-link"`)
	nextPageRe  = regexp.MustCompile(`<a href="([^"]*)"[^>]*>下一页</a>`)
)

// queueIDs returns the opinion ids listed on a queue page, in order.
func queueIDs(body string) []string {
	var ids []string
	for _, m := range queueItemRe.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// queueFixture is five opinions that differ in every filter.
type queueFixture struct {
	h   *harness
	ids map[string]string // name → id
	day map[string]string // id → day
}

func newQueueFixture(t *testing.T, h *harness, reviewer storage.User) *queueFixture {
	t.Helper()
	ctx := context.Background()
	f := &queueFixture{h: h, ids: map[string]string{}, day: map[string]string{}}
	rows := []struct {
		name, day, typ, unit, status string
		styles                       []string
	}{
		{"A", "2026-04-10", "complaint", "county-hospital", "", []string{"formalism"}},
		{"B", "2026-04-11", "suggestion", "tcm-hospital", "triaged", []string{"hedonism"}},
		{"C", "2026-03-05", "complaint", "tcm-hospital", "rectifying", nil},
		{"D", "2026-04-12", "praise", "bureau", "", []string{"formalism", "hedonism"}},
		{"E", "2026-03-28", "opinion", "county-hospital", "", nil},
	}
	for _, r := range rows {
		id := h.seedOn(t, r.day, storage.NewOpinion{Type: r.typ, UnitCode: r.unit, Content: "意见 " + r.name + "：请认真处理。"})
		f.ids[r.name], f.day[id] = id, r.day
		if r.status != "" {
			h.walkTo(t, reviewer.ID, id, r.status)
		}
		if r.styles != nil {
			if err := h.store.SetStyles(ctx, reviewer.ID, id, r.styles); err != nil {
				t.Fatalf("SetStyles: %v", err)
			}
		}
	}
	return f
}

func (f *queueFixture) idsOf(names string) []string {
	var out []string
	for _, n := range strings.Split(names, "") {
		out = append(out, f.ids[n])
	}
	return out
}

func TestQueueNewestFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	f := newQueueFixture(t, h, u)
	r := b.get(t, "/admin/queue")
	wantStatus(t, r, http.StatusOK)
	got := queueIDs(r.Body)
	want := f.idsOf("DBAEC") // 04-12, 04-11, 04-10, 03-28, 03-05
	if !slices.Equal(got, want) {
		t.Errorf("queue order:\n got %v\nwant %v", got, want)
	}
	wantContains(t, r.Body, "形式主义", "享乐主义", "未标注", "已分类", "整改中", "待梳理")
	wantNotContains(t, r.Body, `id="export-csv"`)
	wantContains(t, r.Body, "选择月份后可导出")
}

func TestQueueFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	f := newQueueFixture(t, h, u)
	tests := []struct {
		name     string
		query    string
		want     string // fixture names, newest first
		selected string // must be marked selected in the filter form
	}{
		{"status triaged", "status=triaged", "B", `<option value="triaged" selected>`},
		{"status rectifying", "status=rectifying", "C", `<option value="rectifying" selected>`},
		{"status received", "status=received", "DAE", `<option value="received" selected>`},
		{"style formalism", "style=formalism", "DA", `<option value="formalism" selected>`},
		{"style hedonism", "style=hedonism", "DB", `<option value="hedonism" selected>`},
		{"style none", "style=none", "EC", `<option value="none" selected>`},
		{"unit", "unit=tcm-hospital", "BC", `<option value="tcm-hospital" selected>`},
		{"type", "type=complaint", "AC", `<option value="complaint" selected>`},
		{"month", "month=2026-03", "EC", `name="month" value="2026-03"`},
		{"month april", "month=2026-04", "DBA", `name="month" value="2026-04"`},
		{"combined", "style=formalism&unit=bureau", "D", `<option value="bureau" selected>`},
		{"combined month and type", "month=2026-03&type=opinion", "E", `<option value="opinion" selected>`},
		{"unknown status ignored", "status=bogus", "DBAEC", ""},
		{"unknown style ignored", "style=bogus", "DBAEC", ""},
		{"bad month ignored", "month=2026-13", "DBAEC", `name="month" value=""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := b.get(t, "/admin/queue?"+tc.query)
			wantStatus(t, r, http.StatusOK)
			if got, want := queueIDs(r.Body), f.idsOf(tc.want); !slices.Equal(got, want) {
				t.Errorf("ids:\n got %v\nwant %v (%s)", got, want, tc.want)
			}
			if tc.selected != "" {
				wantContains(t, r.Body, tc.selected)
			}
		})
	}
	t.Run("nothing matches", func(t *testing.T) {
		r := b.get(t, "/admin/queue?type=praise&unit=tcm-hospital")
		wantStatus(t, r, http.StatusOK)
		if ids := queueIDs(r.Body); len(ids) != 0 {
			t.Errorf("ids got %v, want none", ids)
		}
		wantContains(t, r.Body, "没有符合条件的意见。")
	})
}

// TestQueuePagination follows the 下一页 links as a reviewer would.
func TestQueuePagination(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	all := map[string]string{} // id → day
	for i := 0; i < 120; i++ {
		day := fmt.Sprintf("2026-%02d-%02d", 3+i/100, 1+(i%100)/4) // 4 a day, across two months
		id := h.seedOn(t, day, storage.NewOpinion{Content: fmt.Sprintf("第 %d 条意见，请处理。", i)})
		all[id] = day
	}

	seen := map[string]int{}
	var order []string
	target := "/admin/queue"
	pages := 0
	for target != "" {
		pages++
		if pages > 5 {
			t.Fatalf("more than 5 pages followed; the 下一页 link does not advance (last %q)", target)
		}
		r := b.get(t, target)
		wantStatus(t, r, http.StatusOK)
		ids := queueIDs(r.Body)
		if len(ids) == 0 {
			t.Fatalf("page %d (%s) is empty", pages, target)
		}
		for _, id := range ids {
			seen[id]++
			order = append(order, id)
		}
		target = ""
		if m := nextPageRe.FindStringSubmatch(r.Body); m != nil {
			target = html.UnescapeString(m[1])
			if !strings.Contains(target, "after=") {
				t.Fatalf("page %d: 下一页 link %q has no after= parameter: the query string was escaped as one value", pages, m[1])
			}
		}
	}
	if pages != 3 {
		t.Errorf("pages followed: got %d, want 3", pages)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("opinion %s listed %d times, want once", id, n)
		}
		if _, ok := all[id]; !ok {
			t.Errorf("opinion %s listed but never created", id)
		}
	}
	if len(seen) != len(all) {
		t.Errorf("distinct opinions listed: got %d, want %d", len(seen), len(all))
	}
	for i := 1; i < len(order); i++ {
		if all[order[i]] > all[order[i-1]] {
			t.Errorf("position %d: day %s after %s, want newest first", i, all[order[i]], all[order[i-1]])
			break
		}
	}
}

// TestQueueCursor pages with a cursor built by hand, so the handler's paging is checked
// independently of how the template writes the link.
func TestQueueCursor(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	for i := 0; i < 60; i++ {
		h.seedOn(t, fmt.Sprintf("2026-04-%02d", 1+i/5), storage.NewOpinion{Content: fmt.Sprintf("分页意见 %d，请处理。", i)})
	}
	first := queueIDs(b.get(t, "/admin/queue").Body)
	if len(first) != 50 {
		t.Fatalf("first page has %d opinions, want 50", len(first))
	}
	last, err := h.store.Opinion(context.Background(), first[49])
	if err != nil {
		t.Fatal(err)
	}
	second := queueIDs(b.get(t, "/admin/queue?after="+last.CreatedOn+"_"+last.ID).Body)
	if len(second) != 10 {
		t.Errorf("second page has %d opinions, want 10", len(second))
	}
	for _, id := range second {
		if slices.Contains(first, id) {
			t.Errorf("opinion %s on both pages", id)
		}
	}
}
