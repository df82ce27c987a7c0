package storage

import (
	"context"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/internal/testkit"
	"minsheng/plan"
)

// planFixture opens a store on a clock in the spring 2027 campaign, with a reviewer (活动办) and
// a supervisor (督导组), and the campaign's id.
type planFixture struct {
	s                    *Store
	clock                *testkit.Clock
	campaign             int64
	reviewer, supervisor int64
}

func newPlanFixture(t *testing.T, b backend) planFixture {
	t.Helper()
	clock := testkit.NewClock(time.Date(2027, 3, 10, 9, 0, 0, 0, time.Local))
	s := b.mustOpenClock(t, clock)
	f := planFixture{s: s, clock: clock}
	f.reviewer = mustUser(t, s, "office1", access.Reviewer, "")
	f.supervisor = mustUser(t, s, "duda1", access.Supervisor, "")
	var err error
	if f.campaign, err = s.SaveCampaign(context.Background(), f.reviewer, spring2027()); err != nil {
		t.Fatal(err)
	}
	return f
}

// draft writes a draft plan by the reviewer and returns its id.
func (f planFixture) draft(t *testing.T, title string) int64 {
	t.Helper()
	id, err := f.s.CreatePlan(context.Background(), f.reviewer, access.Reviewer, plan.Text{
		CampaignID: f.campaign, Kind: plan.Rectification, Title: title, Body: "一、总体要求\n坚持问题导向。"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// step takes a step and fails the test on an error.
func (f planFixture) step(t *testing.T, actor int64, role string, id int64, st PlanStep) {
	t.Helper()
	if err := f.s.StepPlan(context.Background(), actor, role, id, st); err != nil {
		t.Fatalf("%s by %s: %v", st.Action, role, err)
	}
}

// publish takes a draft through review to publication with scope.
func (f planFixture) publish(t *testing.T, id int64, scope string) {
	t.Helper()
	f.step(t, f.reviewer, access.Reviewer, id, PlanStep{Action: plan.Submit})
	f.step(t, f.supervisor, access.Supervisor, id, PlanStep{Action: plan.Approve})
	f.step(t, f.reviewer, access.Reviewer, id, PlanStep{Action: plan.Publish, Publication: plan.Publication{Scope: scope}})
}

func TestPublishedPlansByReaderScope(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		f := newPlanFixture(t, b)
		ctx := context.Background()
		public := f.draft(t, "公开的整改方案")
		f.publish(t, public, campaign.ScopePublic)
		staff := f.draft(t, "全系统的专项整治方案")
		f.publish(t, staff, campaign.ScopeStaff)
		unit := f.draft(t, "县医院的制度建设计划")
		f.publish(t, unit, campaign.ScopeUnit("county-hospital"))
		f.draft(t, "还是草稿")
		for _, tc := range []struct {
			name   string
			reader campaign.Reader
			want   []int64
		}{
			{"the public", campaign.Reader{}, []int64{public}},
			{"a liaison of another unit", campaign.Reader{Staff: true, Unit: "tcm-hospital"}, []int64{staff, public}},
			{"a liaison of the unit", campaign.Reader{Staff: true, Unit: "county-hospital"}, []int64{unit, staff, public}},
			{"the bureau", campaign.Reader{Staff: true, Bureau: true}, []int64{unit, staff, public}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := f.s.PublishedPlans(ctx, f.campaign, tc.reader)
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for _, p := range got {
					ids = append(ids, p.ID)
					if p.PublishedOn != "2027-03-10" || p.CampaignID != f.campaign {
						t.Errorf("plan %d: published %q, campaign %d", p.ID, p.PublishedOn, p.CampaignID)
					}
				}
				if len(ids) != len(tc.want) {
					t.Fatalf("plans %v, want %v", ids, tc.want)
				}
				for i := range ids {
					if ids[i] != tc.want[i] {
						t.Fatalf("plans %v, want %v (newest first)", ids, tc.want)
					}
				}
			})
		}
		if other, err := f.s.PublishedPlans(ctx, f.campaign+1, campaign.Reader{Staff: true, Bureau: true}); err != nil || len(other) != 0 {
			t.Errorf("another campaign's plans = %v, %v; want none", other, err)
		}
		if all, err := f.s.PublishedPlans(ctx, 0, campaign.Reader{}); err != nil || len(all) != 1 {
			t.Errorf("every campaign's public plans = %v, %v; want one", all, err)
		}
		// Done (已完成) plans stay published.
		f.step(t, f.reviewer, access.Reviewer, public, PlanStep{Action: plan.Finish})
		if got, _ := f.s.PublishedPlans(ctx, f.campaign, campaign.Reader{}); len(got) != 1 || got[0].Status != plan.Done {
			t.Errorf("after done: %+v", got)
		}
	})
}
