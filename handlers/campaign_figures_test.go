package handlers_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/lifecycle"
	"minsheng/period"
	"minsheng/stats"
	"minsheng/storage"
)

// figureCells are the number cells of the figures page's row id: received, each style,
// untagged, rectified, overdue, then the rate cell's text.
func figureCells(t *testing.T, body, id string) []string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr id="` + id + `">(.*?)</tr>`).FindStringSubmatch(body)
	if row == nil {
		t.Fatalf("no row %s", id)
	}
	var cells []string
	for _, m := range regexp.MustCompile(`(?s)<td class="num">(.*?)</td>`).FindAllStringSubmatch(row[1], -1) {
		cells = append(cells, strings.TrimSpace(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")))
	}
	return cells
}

// TestCampaignFigures: the figures page gives, per phase, for the whole campaign and for the
// previous campaign, what stats.Compute counts for the same campaign filter and scope: 举报
// only in 纪检's; a liaison may not open it.
func TestCampaignFigures(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // today 2026-04-15
	ctx := context.Background()
	winter := h.lookBackCampaign(t, "冬季活动", "2026-01-01")
	spring := h.lookBackCampaign(t, "春季活动", "2026-03-01")
	in := func(day string, c int64, n storage.NewOpinion, to string) string {
		id := h.seedOn(t, day, n)
		h.recordCampaign(t, id, strconv.FormatInt(c, 10))
		if to != lifecycle.Received {
			h.walkTo(t, 0, id, to)
		}
		return id
	}
	for i, rating := range []string{"satisfied", "satisfied", "basically", "satisfied", "dissatisfied", "dissatisfied"} {
		id := in("2026-03-05", spring, storage.NewOpinion{Content: "春季第一阶段的意见" + strconv.Itoa(i)}, lifecycle.Satisfaction)
		if err := h.store.Rate(ctx, id, rating, ""); err != nil {
			t.Fatal(err)
		}
	}
	late := in("2026-03-06", spring, storage.NewOpinion{}, lifecycle.Rectifying)
	h.setDeadline(t, late, "2026-04-10")
	in("2026-03-07", spring, storage.NewOpinion{Type: access.ReportType, UnitCode: "bureau"}, lifecycle.Received)
	in("2026-03-25", spring, storage.NewOpinion{UnitCode: "tcm-hospital"}, lifecycle.Received)
	in("2026-01-05", winter, storage.NewOpinion{}, lifecycle.Closed)
	in("2026-01-06", winter, storage.NewOpinion{}, lifecycle.Received)
	in("2026-03-08", 0, storage.NewOpinion{}, lifecycle.Received) // in no campaign

	c, err := h.store.Campaign(ctx, spring)
	if err != nil {
		t.Fatal(err)
	}
	prev, err := h.store.Campaign(ctx, winter)
	if err != nil {
		t.Fatal(err)
	}
	target := "/admin/campaigns/" + strconv.FormatInt(spring, 10) + "/figures"
	for _, role := range []string{access.Reviewer, access.Discipline, access.Supervisor, access.Leader} {
		t.Run(role, func(t *testing.T) {
			r := h.staffAs(t, role).get(t, target)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, "上一次活动：冬季活动")
			v := access.Viewer{Role: role, Today: "2026-04-15"}
			if role == access.Leader {
				v.Linked = []string{"county-hospital"} // as staffAs links them
			}
			rows := []struct {
				id    string
				c     campaign.Campaign
				phase int
			}{{"phase-1", c, 1}, {"phase-2", c, 2}, {"phase-3", c, 3}, {"phase-all", c, 0}, {"previous", prev, 0}}
			nonzero := 0
			for _, row := range rows {
				from := row.c.StartsOn
				if row.phase > 0 {
					from = row.c.Phases[row.phase-1].StartsOn
				}
				span, err := period.Parse(from + ".." + max(row.c.EndsOn, "2026-04-15"))
				if err != nil {
					t.Fatal(err)
				}
				f, err := stats.Compute(ctx, h.store, stats.Query{Period: span, Campaign: row.c.ID, Phase: row.phase, Viewer: v, Today: v.Today})
				if err != nil {
					t.Fatal(err)
				}
				cells := figureCells(t, r.Body, row.id)
				n := len(cells)
				rate := "评价不足 5 条（" + strconv.Itoa(f.Satisfaction.Rated) + " 条）"
				if x, ok := f.Satisfaction.Rate(); ok {
					rate = strconv.FormatFloat(x, 'f', 1, 64) + "%"
				}
				want := []string{strconv.Itoa(f.Total), strconv.Itoa(f.Rectification.Done), strconv.Itoa(f.Rectification.OverdueCount), rate}
				got := []string{cells[0], cells[n-3], cells[n-2], cells[n-1]}
				if n < 5 || !slices.Equal(got, want) {
					t.Errorf("%s: page %v, stats %v", row.id, got, want)
				}
				nonzero += f.Total
			}
			if nonzero == 0 {
				t.Fatal("every figure is zero: the case compares nothing")
			}
			whole := figureCells(t, r.Body, "phase-all")[0]
			if want := map[string]string{access.Reviewer: "8", access.Supervisor: "8", access.Discipline: "1", access.Leader: "7"}[role]; whole != want {
				t.Errorf("whole campaign received %s, want %s (举报 only for 纪检)", whole, want)
			}
		})
	}
	wantStatus(t, h.staffAs(t, access.Liaison).get(t, target), http.StatusForbidden)
	wantStatus(t, h.staffAs(t, access.Admin).get(t, "/admin/campaigns/999/figures"), http.StatusNotFound)
}

// TestCampaignCountsAgree: for a campaign or one of its phases, the queue's sidebar
// (storage.StatusCounts over the campaign filter) gives stats' figures for the same filter and
// scope, as TestQueueCountsAgree asks of a month.
func TestCampaignCountsAgree(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // today 2026-04-15
	ctx := context.Background()
	id := h.lookBackCampaign(t, "春季活动", "2026-03-01")
	c, err := h.store.Campaign(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for i, to := range []string{lifecycle.Received, lifecycle.Triaged, lifecycle.Assigned, lifecycle.Rectifying, lifecycle.Closed} {
		for _, day := range []string{"2026-03-05", "2026-03-25"} {
			op := h.seedOn(t, day, storage.NewOpinion{UnitCode: []string{"county-hospital", "tcm-hospital"}[i%2]})
			h.recordCampaign(t, op, strconv.FormatInt(id, 10))
			if to != lifecycle.Received {
				h.walkTo(t, 0, op, to)
			}
			if to == lifecycle.Assigned || to == lifecycle.Rectifying {
				h.setDeadline(t, op, "2026-04-10")
			}
		}
	}
	for _, day := range []string{"2026-03-06", "2026-03-26"} {
		report := h.seedOn(t, day, storage.NewOpinion{UnitCode: "bureau", Type: access.ReportType})
		h.recordCampaign(t, report, strconv.FormatInt(id, 10))
	}
	h.seedOn(t, "2026-03-06", storage.NewOpinion{}) // in no campaign
	reviewer := h.staffAs(t, access.Reviewer)
	for _, v := range []access.Viewer{{Role: access.Reviewer}, {Role: access.Discipline}, {Role: access.Liaison, Unit: "county-hospital"}} {
		for _, phase := range []int{0, 1, 2} {
			t.Run(v.Role+"/phase"+strconv.Itoa(phase), func(t *testing.T) {
				v.Today = h.store.Today()
				from, to := c.StartsOn, c.EndsOn
				if phase > 0 {
					from, to = c.Phases[phase-1].StartsOn, c.Phases[phase-1].EndsOn
				}
				span, err := period.Parse(from + ".." + to)
				if err != nil {
					t.Fatal(err)
				}
				f, err := stats.Compute(ctx, h.store, stats.Query{Period: span, Campaign: id, Phase: phase, Viewer: v, Today: v.Today})
				if err != nil {
					t.Fatal(err)
				}
				sidebar, err := h.store.StatusCounts(ctx, storage.OpinionFilter{Campaign: id, Phase: phase, Scope: &v})
				if err != nil {
					t.Fatal(err)
				}
				if sidebar.Total != f.Total || f.Total == 0 {
					t.Errorf("total: sidebar %d, stats %d", sidebar.Total, f.Total)
				}
				for _, s := range f.ByStatus {
					if sidebar.ByStatus[s.Code] != s.N {
						t.Errorf("%s: sidebar %d, stats %d", s.Code, sidebar.ByStatus[s.Code], s.N)
					}
				}
				if sidebar.Overdue != f.Rectification.OverdueCount {
					t.Errorf("overdue: sidebar %d, stats %d", sidebar.Overdue, f.Rectification.OverdueCount)
				}
				if v.Role != access.Reviewer {
					return
				}
				// The export's counts sheet, for the reviewer who downloads it.
				q := "/admin/export?format=xlsx&campaign=" + strconv.FormatInt(id, 10)
				if phase > 0 {
					q += "&phase=" + strconv.Itoa(phase)
				}
				sheet := readCountsSheet(t, reviewer.get(t, q).Body)
				if got := sheet.count(t, "合计", "合计"); got != f.Total {
					t.Errorf("counts sheet total %d, stats %d", got, f.Total)
				}
				for _, u := range f.ByUnit {
					if got := sheet.count(t, u.Name, "合计"); got != u.Total {
						t.Errorf("counts sheet %s %d, stats %d", u.Name, got, u.Total)
					}
				}
			})
		}
	}
}
