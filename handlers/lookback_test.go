package handlers_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/lifecycle"
	"minsheng/period"
	"minsheng/stats"
	"minsheng/storage"
)

// lookBackCampaign saves a campaign listening for 20 days from start, rectifying 10 more, then
// looking back 10 more (a custom 通报 phase after), and returns its id.
func (h *harness) lookBackCampaign(t *testing.T, name, start string) int64 {
	t.Helper()
	first, err := time.Parse("2006-01-02", start)
	if err != nil {
		t.Fatal(err)
	}
	day := func(offset int) string { return first.AddDate(0, 0, offset).Format("2006-01-02") }
	c := campaign.Campaign{Name: name, ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
		{Kind: campaign.Listen, StartsOn: day(0), EndsOn: day(19)},
		{Kind: campaign.Rectify, StartsOn: day(20), EndsOn: day(29)},
		{Kind: campaign.LookBack, StartsOn: day(30), EndsOn: day(39)},
	}}
	id, err := h.store.SaveCampaign(context.Background(), 0, c)
	if err != nil {
		t.Fatalf("SaveCampaign: %v", err)
	}
	return id
}

// setCampaign records that opinion id arrived in campaign (as the submission will: the campaign
// helper's work), written directly.
func (h *harness) setCampaign(t *testing.T, id, campaignID string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+h.dbPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE opinions SET campaign_id = ? WHERE id = ?`, campaignID, id); err != nil {
		t.Fatal(err)
	}
}

// lookBackWorld is a campaign past its 回头看 day (today 2026-04-15; 回头看 from 2026-03-31)
// with a lagging item (5 days overdue), one on schedule, and work of no campaign.
type lookBackWorld struct {
	h                          *harness
	campaign                   string
	lagging, onTime, elsewhere string
}

func newLookBackWorld(t *testing.T) lookBackWorld {
	t.Helper()
	h := newHarness(t)
	w := lookBackWorld{h: h}
	w.campaign = strconv.FormatInt(h.lookBackCampaign(t, "春季征求意见活动", "2026-03-01"), 10)
	for _, id := range []*string{&w.lagging, &w.onTime, &w.elsewhere} {
		*id = h.seedOn(t, "2026-03-05", storage.NewOpinion{})
		h.walkTo(t, 0, *id, lifecycle.Rectifying)
	}
	h.setCampaign(t, w.lagging, w.campaign)
	h.setCampaign(t, w.onTime, w.campaign)
	h.setDeadline(t, w.lagging, "2026-04-10")
	return w
}

// TestLookBackListByRole: the 督导组 reads the list, as do administrators, reviewers and the
// lead unit's liaison; those who may record see the form on the lagging item; others are refused.
func TestLookBackListByRole(t *testing.T) {
	t.Parallel()
	w := newLookBackWorld(t)
	form := `action="/admin/lookback/` + w.campaign + `"`
	cases := []struct {
		role     string
		status   int
		seesForm bool
	}{
		{access.Supervisor, http.StatusOK, false},
		{access.Admin, http.StatusOK, true},
		{access.Reviewer, http.StatusOK, true},
		{access.Liaison, http.StatusOK, true}, // county-hospital: the lead unit
		{access.Leader, http.StatusForbidden, false},
		{access.Discipline, http.StatusForbidden, false},
	}
	for _, tc := range cases {
		t.Run(tc.role, func(t *testing.T) {
			r := w.h.staffAs(t, tc.role).get(t, "/admin/lookback")
			wantStatus(t, r, tc.status)
			if tc.status != http.StatusOK {
				return
			}
			wantContains(t, r.Body, `id="item-`+w.lagging+`"`, `id="item-`+w.onTime+`"`, "超期 5 天", "按期推进",
				"进度滞后 1 项，其中 1 项还没有填写原因分析和加快措施。", "县人民医院")
			if strings.Contains(r.Body, w.elsewhere) {
				t.Error("work of no campaign is on the list")
			}
			if got := strings.Count(r.Body, form); got != map[bool]int{true: 1, false: 0}[tc.seesForm] {
				t.Errorf("%d forms, want the lagging item's only if the role records (%v)", got, tc.seesForm)
			}
		})
	}
	t.Run("before the 回头看 day", func(t *testing.T) {
		later := strconv.FormatInt(w.h.lookBackCampaign(t, "夏季活动", "2026-04-10"), 10) // 回头看 from 2026-05-10
		w.h.setCampaign(t, w.elsewhere, later)
		b, _ := w.h.staffIn(t, "督导组二", access.Supervisor, "")
		r := b.get(t, "/admin/lookback?campaign="+later)
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, `id="lookback-not-yet"`, "2026-05-10")
		if strings.Contains(r.Body, `id="item-`) {
			t.Error("items listed before the 回头看 day")
		}
	})
}

// TestLookBackForm: the lead unit's liaison records cause and measures for the lagging item:
// missing words come back 422 with the words kept, a good form 303 and shows on the list,
// audited; the 督导组 reads but does not record; an item not on the list is not found.
func TestLookBackForm(t *testing.T) {
	t.Parallel()
	w := newLookBackWorld(t)
	b := w.h.staffAs(t, access.Liaison)
	target := "/admin/lookback/" + w.campaign
	r := b.post(t, target, url.Values{"opinion": {w.lagging}, "cause": {"  "}, "measures": {"本周内增派两名收费员"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "请写明进度滞后的原因。", "本周内增派两名收费员", "没有保存")
	r = b.post(t, target, url.Values{"opinion": {w.elsewhere}, "cause": {"原因"}, "measures": {"措施"}})
	wantStatus(t, r, http.StatusNotFound)
	sup := w.h.staffAs(t, access.Supervisor)
	wantStatus(t, sup.post(t, target, url.Values{"opinion": {w.lagging}, "cause": {"原因"}, "measures": {"措施"}}), http.StatusForbidden)

	r = b.post(t, target, url.Values{"opinion": {w.lagging}, "cause": {"收费员请产假，人手不足"}, "measures": {"本周内增派两名收费员"}})
	wantStatus(t, r, http.StatusSeeOther)
	if want := "/admin/lookback?campaign=" + w.campaign + "#item-" + w.lagging; r.location() != want {
		t.Errorf("redirect to %q, want %q", r.location(), want)
	}
	list := sup.get(t, "/admin/lookback")
	wantContains(t, list.Body, "收费员请产假，人手不足", "本周内增派两名收费员", "进度滞后 1 项，其中 0 项还没有填写原因分析和加快措施。")
	entries, _, err := w.h.store.AuditPage(context.Background(), storage.AuditFilter{Action: "lookback_note"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%d lookback_note audit entries, want 1", len(entries))
	}
	admin := w.h.staffAs(t, access.Admin)
	wantContains(t, admin.get(t, "/admin/audit?action=lookback_note").Body, "填写回头看原因分析和加快措施", w.lagging)
}

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
		h.setCampaign(t, id, strconv.FormatInt(c, 10))
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
	for _, role := range []string{access.Reviewer, access.Discipline, access.Supervisor} {
		t.Run(role, func(t *testing.T) {
			r := h.staffAs(t, role).get(t, target)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, "上一次活动：冬季活动")
			v := access.Viewer{Role: role, Today: "2026-04-15"}
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
			if want := map[string]string{access.Reviewer: "8", access.Supervisor: "8", access.Discipline: "1"}[role]; whole != want {
				t.Errorf("whole campaign received %s, want %s (举报 only for 纪检)", whole, want)
			}
		})
	}
	wantStatus(t, h.staffAs(t, access.Liaison).get(t, target), http.StatusForbidden)
	wantStatus(t, h.staffAs(t, access.Admin).get(t, "/admin/campaigns/999/figures"), http.StatusNotFound)
}

// TestQueueByCampaign: the queue filtered by campaign and phase, its sidebar counts and its
// export select the same opinions.
func TestQueueByCampaign(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	spring := strconv.FormatInt(h.lookBackCampaign(t, "春季活动", "2026-03-01"), 10)
	listen := h.seedOn(t, "2026-03-05", storage.NewOpinion{})
	rectify := h.seedOn(t, "2026-03-25", storage.NewOpinion{})
	other := h.seedOn(t, "2026-03-06", storage.NewOpinion{})
	h.setCampaign(t, listen, spring)
	h.setCampaign(t, rectify, spring)
	cases := []struct {
		query string
		want  []string
	}{
		{"campaign=" + spring, []string{listen, rectify}},
		{"campaign=" + spring + "&phase=1", []string{listen}},
		{"campaign=" + spring + "&phase=2", []string{rectify}},
		{"campaign=" + spring + "&phase=3", nil},
		{"phase=1", []string{listen, rectify, other}}, // a phase without a campaign means nothing
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			r := b.get(t, "/admin/queue?"+tc.query)
			wantStatus(t, r, http.StatusOK)
			for _, id := range []string{listen, rectify, other} {
				if got, want := strings.Contains(r.Body, "/admin/opinions/"+id), slices.Contains(tc.want, id); got != want {
					t.Errorf("%s listed %v, want %v", id, got, want)
				}
			}
			all := regexp.MustCompile(`id="count-all"[^>]*>[^<]*<span class="count"[^>]*>(\d+)<`).FindStringSubmatch(r.Body)
			if all == nil || all[1] != strconv.Itoa(len(tc.want)) {
				t.Errorf("sidebar count %v, want %d", all, len(tc.want))
			}
			if !strings.Contains(tc.query, "campaign") {
				return
			}
			wantContains(t, r.Body, `id="filter-phase"`, `id="export-csv"`)
			x := b.get(t, "/admin/export?format=csv&"+tc.query)
			wantStatus(t, x, http.StatusOK)
			if got, want := firstColumn(csvRows(t, x)), sorted(tc.want); !slices.Equal(got, want) {
				t.Errorf("exported %v, want %v", got, want)
			}
		})
	}
}

// TestLookBackDueInInbox: on the campaign's 回头看 day the daily sweep tells the supervisors,
// whose inbox links to the review list.
func TestLookBackDueInInbox(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // today 2026-04-15
	b := h.staffAs(t, access.Supervisor)
	h.lookBackCampaign(t, "春季活动", "2026-03-16") // 回头看 from 2026-04-15
	n, err := h.store.SweepLookBacks(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("SweepLookBacks = %d, %v; want 1", n, err)
	}
	r := b.get(t, "/admin/inbox")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `<a href="/admin/lookback" class="lookback-due">`, "待回头看")
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
			h.setCampaign(t, op, strconv.FormatInt(id, 10))
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
		h.setCampaign(t, report, strconv.FormatInt(id, 10))
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
