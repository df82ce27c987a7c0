package handlers_test

import (
	"context"
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
	"minsheng/internal/storetest"
	"minsheng/lifecycle"
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

// recordCampaign records that opinion id arrived in campaign (as the submission will: the campaign
// helper's work), written directly.
func (h *harness) recordCampaign(t *testing.T, id, campaignID string) {
	t.Helper()
	cid, err := strconv.ParseInt(campaignID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	storetest.SetCampaign(t, h.store, id, cid)
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
	// Work of no campaign: it arrived before the campaign was set up. The other two arrive
	// while it runs, and the submission records it.
	w.elsewhere = h.seedOn(t, "2026-03-05", storage.NewOpinion{})
	w.campaign = strconv.FormatInt(h.lookBackCampaign(t, "春季征求意见活动", "2026-03-01"), 10)
	w.lagging = h.seedOn(t, "2026-03-05", storage.NewOpinion{})
	w.onTime = h.seedOn(t, "2026-03-05", storage.NewOpinion{})
	for _, id := range []string{w.lagging, w.onTime, w.elsewhere} {
		h.walkTo(t, 0, id, lifecycle.Rectifying)
	}
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
		w.h.recordCampaign(t, w.elsewhere, later)
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

// TestQueueByCampaign: the queue filtered by campaign and phase, its sidebar counts and its
// export select the same opinions.
func TestQueueByCampaign(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	other := h.seedOn(t, "2026-03-06", storage.NewOpinion{}) // before the campaign was set up: none
	spring := strconv.FormatInt(h.lookBackCampaign(t, "春季活动", "2026-03-01"), 10)
	listen := h.seedOn(t, "2026-03-05", storage.NewOpinion{}) // recorded by the submission
	rectify := h.seedOn(t, "2026-03-25", storage.NewOpinion{})
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
