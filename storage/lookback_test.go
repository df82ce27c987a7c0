package storage

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/internal/testkit"
	"minsheng/lifecycle"
)

// lookBackCampaign listens in March 2026, rectifies in April and May, looks back from 1 June.
func lookBackCampaign(name string) campaign.Campaign {
	return campaign.Campaign{Name: name, ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
		{Kind: campaign.Listen, StartsOn: "2026-03-01", EndsOn: "2026-03-31"},
		{Kind: campaign.Rectify, StartsOn: "2026-04-01", EndsOn: "2026-05-31"},
		{Kind: campaign.LookBack, StartsOn: "2026-06-01", EndsOn: "2026-06-15"},
	}}
}

// setDay moves c to noon of day in China.
func setDay(t *testing.T, c *testkit.Clock, day string) {
	t.Helper()
	d, err := time.Parse(dateLayout, day)
	if err != nil {
		t.Fatal(err)
	}
	c.Set(d.Add(4 * time.Hour))
}

// inCampaign stores an opinion on day that arrived in campaign id (as the submission records it).
func inCampaign(t *testing.T, s *Store, c *testkit.Clock, day string, id int64, n NewOpinion) string {
	t.Helper()
	setDay(t, c, day)
	op := mustCreateOpinion(t, s, n)
	if _, err := s.write.Exec(`UPDATE opinions SET campaign_id = ? WHERE id = ?`, id, op); err != nil {
		t.Fatal(err)
	}
	return op
}

func setRectDeadline(t *testing.T, s *Store, id, deadline string) {
	t.Helper()
	if _, err := s.write.Exec(`UPDATE rectifications SET deadline = ? WHERE opinion_id = ?`, deadline, id); err != nil {
		t.Fatal(err)
	}
}

// TestCampaignFilter: the queue's filter, its counts and the facts stats count select the
// opinions that arrived in a campaign, or in one phase of it, within the viewer's scope.
func TestCampaignFilter(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		c := newClock(fixedTime)
		s, ctx := b.mustOpenClock(t, c), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		spring, err := s.SaveCampaign(ctx, admin, lookBackCampaign("春季活动"))
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.SaveCampaign(ctx, admin, lookBackCampaign("另一活动"))
		if err != nil {
			t.Fatal(err)
		}
		listen := inCampaign(t, s, c, "2026-03-10", spring, NewOpinion{})
		rectify := inCampaign(t, s, c, "2026-04-05", spring, NewOpinion{UnitCode: "tcm-hospital"})
		report := inCampaign(t, s, c, "2026-03-11", spring, NewOpinion{Type: access.ReportType, UnitCode: "bureau"})
		inCampaign(t, s, c, "2026-03-10", other, NewOpinion{})
		inCampaign(t, s, c, "2026-03-10", 0, NewOpinion{})
		reviewer := access.Viewer{Role: access.Reviewer}
		discipline := access.Viewer{Role: access.Discipline}
		liaison := access.Viewer{Role: access.Liaison, Unit: "tcm-hospital", Today: "2026-04-05"}
		cases := []struct {
			name  string
			phase int
			scope *access.Viewer
			want  []string
		}{
			{"the whole campaign, everything", 0, nil, []string{listen, rectify, report}},
			{"the whole campaign, a reviewer: no 举报", 0, &reviewer, []string{listen, rectify}},
			{"the whole campaign, 纪检: the 举报 only", 0, &discipline, []string{report}},
			{"phase 1 (听取意见)", 1, &reviewer, []string{listen}},
			{"phase 2 (整改落实)", 2, &reviewer, []string{rectify}},
			{"phase 3: nothing arrived", 3, &reviewer, nil},
			{"a liaison sees no unassigned work", 0, &liaison, nil},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				f := OpinionFilter{Campaign: spring, Phase: tt.phase, Scope: tt.scope}
				page, err := s.ListOpinions(ctx, f, Cursor{}, 100)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, o := range page.Opinions {
					got = append(got, o.ID)
				}
				want := slices.Clone(tt.want)
				sort.Strings(got)
				sort.Strings(want)
				if !slices.Equal(got, want) {
					t.Errorf("queue %v, want %v", got, want)
				}
				counts, err := s.StatusCounts(ctx, f)
				if err != nil || counts.Total != len(want) {
					t.Errorf("sidebar total %d (%v), want %d", counts.Total, err, len(want))
				}
				facts := collectFacts(t, s, FactFilter{Campaign: spring, Phase: tt.phase, Viewer: tt.scope})
				if len(facts) != len(want) {
					t.Errorf("facts %d, want %d", len(facts), len(want))
				}
				for _, id := range want {
					if _, ok := facts[id]; !ok {
						t.Errorf("facts lack %s", id)
					}
				}
			})
		}
	})
}

// TestLookBackList: the open work of the campaign, and the carriers of problems its opinions
// were merged into, with their lag; nothing closed, nothing not yet assigned, nothing of
// another campaign; a liaison sees their unit's work only.
func TestLookBackList(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		c := newClock(fixedTime)
		s, ctx := b.mustOpenClock(t, c), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		spring, err := s.SaveCampaign(ctx, admin, lookBackCampaign("春季活动"))
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, name := range []string{"overdue", "behind", "reported", "later", "closed", "received"} {
			ids[name] = inCampaign(t, s, c, "2026-03-10", spring, NewOpinion{})
		}
		ids["elsewhere"] = inCampaign(t, s, c, "2026-03-10", 0, NewOpinion{})
		walkTo(t, s, ids["overdue"], lifecycle.Rectifying)
		walkTo(t, s, ids["behind"], lifecycle.Assigned)
		walkTo(t, s, ids["reported"], lifecycle.Reported)
		walkTo(t, s, ids["later"], lifecycle.Assigned)
		walkTo(t, s, ids["closed"], lifecycle.Closed)
		walkTo(t, s, ids["elsewhere"], lifecycle.Assigned)
		setRectDeadline(t, s, ids["overdue"], "2026-05-20")
		setRectDeadline(t, s, ids["behind"], "2026-06-05")
		setRectDeadline(t, s, ids["reported"], "2026-06-03")
		setRectDeadline(t, s, ids["later"], "2026-07-30")
		// A problem whose carrier arrived before the campaign, with a campaign opinion merged in.
		setDay(t, c, "2026-02-10")
		carrier := mustCreateOpinion(t, s, NewOpinion{})
		walkTo(t, s, carrier, lifecycle.Assigned)
		member := inCampaign(t, s, c, "2026-03-12", spring, NewOpinion{})
		if err := s.Transition(ctx, 0, member, fullStep(lifecycle.Duplicate, carrier)); err != nil {
			t.Fatal(err)
		}
		ids["carrier"] = carrier

		today := "2026-06-01"
		setDay(t, c, today)
		list, err := s.LookBackList(ctx, spring, access.Viewer{Role: access.Supervisor}, today)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]LookBackItem{}
		for _, it := range list {
			got[it.OpinionID] = it
		}
		cases := []struct {
			name    string
			listed  bool
			overdue int
			behind  bool
		}{
			{"overdue", true, 12, false},
			{"behind", true, 0, true},
			{"reported", true, 0, false}, // near its deadline but reported: not behind
			{"later", true, 0, false},
			{"carrier", true, 0, false},
			{"closed", false, 0, false},
			{"received", false, 0, false},
			{"elsewhere", false, 0, false},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				it, ok := got[ids[tt.name]]
				if ok != tt.listed {
					t.Fatalf("listed %v, want %v", ok, tt.listed)
				}
				if ok && (it.OverdueDays != tt.overdue || it.Behind != tt.behind || it.LeadUnit != "county-hospital" ||
					it.NeedsNote() != (tt.overdue > 0 || tt.behind)) {
					t.Errorf("item %+v, want overdue %d behind %v", it, tt.overdue, tt.behind)
				}
			})
		}
		if got[carrier].ProblemID == "" {
			t.Error("the carrier does not say its problem")
		}
		other, err := s.LookBackList(ctx, spring, access.Viewer{Role: access.Liaison, Unit: "tcm-hospital"}, today)
		if err != nil || len(other) != 0 {
			t.Errorf("another unit's liaison sees %d items (%v), want none", len(other), err)
		}
		mine, err := s.LookBackList(ctx, spring, access.Viewer{Role: access.Liaison, Unit: "county-hospital"}, today)
		if err != nil || len(mine) != len(list) {
			t.Errorf("the lead unit's liaison sees %d items (%v), want %d", len(mine), err, len(list))
		}
	})
}

// TestRecordLookBackNote: the lead unit's liaison records cause and measures for a lagging
// item, audited; empty words, an item not on the list, another unit's liaison are refused.
func TestRecordLookBackNote(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		c := newClock(fixedTime)
		s, ctx := b.mustOpenClock(t, c), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		liaisonID := mustUser(t, s, "hospital", access.Liaison, "county-hospital")
		spring, err := s.SaveCampaign(ctx, admin, lookBackCampaign("春季活动"))
		if err != nil {
			t.Fatal(err)
		}
		late := inCampaign(t, s, c, "2026-03-10", spring, NewOpinion{})
		walkTo(t, s, late, lifecycle.Assigned)
		setRectDeadline(t, s, late, "2026-05-20")
		outside := inCampaign(t, s, c, "2026-03-10", 0, NewOpinion{})
		walkTo(t, s, outside, lifecycle.Assigned)
		setDay(t, c, "2026-06-02")
		hospital := access.Viewer{Role: access.Liaison, Unit: "county-hospital"}
		good := LookBackNote{Cause: " 设备采购流程长 ", Measures: "已协调财务加快审批，6月10日前到位"}
		cases := []struct {
			name    string
			v       access.Viewer
			opinion string
			note    LookBackNote
			want    error
		}{
			{"no cause", hospital, late, LookBackNote{Measures: "加快"}, ErrInvalid},
			{"blank measures", hospital, late, LookBackNote{Cause: "原因", Measures: "  "}, ErrInvalid},
			{"not in the campaign", hospital, outside, good, ErrNotFound},
			{"another unit's liaison", access.Viewer{Role: access.Liaison, Unit: "tcm-hospital"}, late, good, ErrNotFound},
			{"the lead unit's liaison", hospital, late, good, nil},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				err := s.RecordLookBackNote(ctx, tt.v, liaisonID, spring, tt.opinion, tt.note)
				if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
					t.Fatalf("err %v, want %v", err, tt.want)
				}
			})
		}
		list, err := s.LookBackList(ctx, spring, access.Viewer{Role: access.Supervisor}, "2026-06-02")
		if err != nil || len(list) != 1 {
			t.Fatalf("list %v (%v)", list, err)
		}
		it := list[0]
		if it.Cause != "设备采购流程长" || it.Measures != good.Measures || it.RecordedOn != "2026-06-02" ||
			it.RecordedBy != "hospital" || it.NeedsNote() || !it.Lagging() {
			t.Errorf("after recording: %+v", it)
		}
		if got := auditActions(t, s, "lookback_note"); len(got) != 1 {
			t.Errorf("lookback_note audited %d times, want 1", len(got))
		}
		// Recorded again: the newer words replace the old, audited again.
		if err := s.RecordLookBackNote(ctx, access.Viewer{Role: access.Reviewer}, admin, spring, late,
			LookBackNote{Cause: "新原因", Measures: "新措施"}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "lookback_notes", ""); n != 1 {
			t.Errorf("%d notes, want 1", n)
		}
		if got := auditActions(t, s, "lookback_note"); len(got) != 2 {
			t.Errorf("lookback_note audited %d times, want 2", len(got))
		}
	})
}

// TestSweepLookBacks: on the campaign's 回头看 day the supervisors are told, once.
func TestSweepLookBacks(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		c := newClock(fixedTime)
		s, ctx := b.mustOpenClock(t, c), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		supervisor := mustUser(t, s, "dudao", access.Supervisor, "")
		if _, err := s.SaveCampaign(ctx, admin, lookBackCampaign("春季活动")); err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			day  string
			want int
		}{{"2026-05-31", 0}, {"2026-06-01", 1}, {"2026-06-01", 0}, {"2026-06-02", 0}, {"2026-06-20", 0}} {
			setDay(t, c, step.day)
			if n, err := s.SweepLookBacks(ctx); err != nil || n != step.want {
				t.Fatalf("%s: swept %d (%v), want %d", step.day, n, err, step.want)
			}
		}
		if got := inboxOwners(t, s, EventLookBackDue); len(got) != 1 || got[0] != supervisor {
			t.Errorf("told %v, want the supervisor %d once", got, supervisor)
		}
	})
}

// TestCampaignFilterUsesDays: opinions.campaign_id has no index (migration 0033); the campaign
// filter bounds created_on by the campaign's days so that the queue reads a range of days.
// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestCampaignFilterUsesDays(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	for _, phase := range []int{0, 2} {
		where, args := OpinionFilter{Campaign: 1, Phase: phase}.where()
		plan := queryPlan(t, s, `SELECT o.id FROM opinions o WHERE `+where+` ORDER BY o.created_on DESC, o.id DESC`, args...)
		if !strings.Contains(plan, "opinions_by_day (created_on>? AND created_on<?)") {
			t.Errorf("phase %d: the campaign filter reads no range of days:\n%s", phase, plan)
		}
	}
}
