package storage

import (
	"context"
	"errors"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/plan"
)

// TestPlanStepsByRole walks a plan from draft to done, each step by the role the seeds give it,
// and checks that every other role is refused each step (ErrConflict, nothing changed), that
// each step is in the history and the audit log, and what each step records.
func TestPlanStepsByRole(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		f := newPlanFixture(t, b)
		ctx := context.Background()
		admin := mustUser(t, f.s, "admin1", access.Admin, "")
		liaison := mustUser(t, f.s, "lian1", access.Liaison, "county-hospital")
		id := f.draft(t, "2027年整改方案")
		actors := map[string]int64{access.Admin: admin, access.Reviewer: f.reviewer, access.Supervisor: f.supervisor, access.Liaison: liaison}
		opening := plan.Opening{Scope: campaign.ScopePublic, From: "2027-03-10", To: "2027-03-20"}
		walk := []struct {
			st   PlanStep
			role string
			want string
		}{
			{PlanStep{Action: plan.OpenComment, Opening: opening}, access.Reviewer, plan.Comment},
			{PlanStep{Action: plan.Submit}, access.Admin, plan.Review},
			{PlanStep{Action: plan.Return, Note: "请补充验收标准。"}, access.Supervisor, plan.Returned},
			{PlanStep{Action: plan.Submit}, access.Reviewer, plan.Review},
			{PlanStep{Action: plan.Approve, Note: "同意。"}, access.Supervisor, plan.Approved},
			{PlanStep{Action: plan.Publish, Publication: plan.Publication{Scope: campaign.ScopePublic, Changes: "采纳意见两条。"}}, access.Reviewer, plan.Published},
			{PlanStep{Action: plan.Finish}, access.Admin, plan.Done},
		}
		for _, w := range walk {
			before, _ := f.s.Plan(ctx, id)
			for role, actor := range actors {
				if _, ok := plan.Next(before.Status, w.st.Action, role); ok {
					continue
				}
				if err := f.s.StepPlan(ctx, actor, role, id, w.st); !errors.Is(err, ErrConflict) {
					t.Errorf("%s by %s from %s: %v, want ErrConflict", w.st.Action, role, before.Status, err)
				}
			}
			f.step(t, actors[w.role], w.role, id, w.st)
			after, err := f.s.Plan(ctx, id)
			if err != nil || after.Status != w.want {
				t.Fatalf("after %s: %q, %v; want %q", w.st.Action, after.Status, err, w.want)
			}
			// The same step again is illegal now (except where the state loops back).
			if _, ok := plan.Next(after.Status, w.st.Action, w.role); !ok {
				if err := f.s.StepPlan(ctx, actors[w.role], w.role, id, w.st); !errors.Is(err, ErrConflict) {
					t.Errorf("%s twice: %v, want ErrConflict", w.st.Action, err)
				}
			}
		}
		p, _ := f.s.Plan(ctx, id)
		if p.CommentScope != campaign.ScopePublic || p.CommentFrom != "2027-03-10" || p.CommentTo != "2027-03-10" ||
			p.ReviewNote != "请补充验收标准。" || p.ApprovedOn != "2027-03-10" || p.Scope != campaign.ScopePublic ||
			p.ChangesNote != "采纳意见两条。" || p.PublishedOn != "2027-03-10" || p.DoneOn != "2027-03-10" {
			t.Errorf("plan after the walk: %+v (submitting ends the comment period that day)", p)
		}
		history, err := f.s.PlanHistory(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range history {
			got = append(got, h.Username+" "+h.Action+" "+h.From+"→"+h.To)
		}
		want := []string{"office1 create →draft", "office1 open_comment draft→comment", "admin1 submit comment→review",
			"duda1 return review→returned", "office1 submit returned→review", "duda1 approve review→approved",
			"office1 publish approved→published", "admin1 finish published→done"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if history[3].Note != "请补充验收标准。" {
			t.Errorf("the return's note = %q", history[3].Note)
		}
		for _, action := range []string{"plan_create", "plan_open_comment", "plan_return", "plan_approve", "plan_publish", "plan_finish"} {
			if n := len(auditActions(t, f.s, action)); n != 1 {
				t.Errorf("%s audited %d times, want 1", action, n)
			}
		}
		if n := len(auditActions(t, f.s, "plan_submit")); n != 2 {
			t.Errorf("plan_submit audited %d times, want 2", n)
		}
	})
}

func TestPlanStepNeeds(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		f := newPlanFixture(t, b)
		ctx := context.Background()
		id := f.draft(t, "方案")
		for _, tc := range []struct {
			name string
			st   PlanStep
		}{
			{"an opening without a scope", PlanStep{Action: plan.OpenComment, Opening: plan.Opening{From: "2027-03-10", To: "2027-03-12"}}},
			{"an opening ending before it starts", PlanStep{Action: plan.OpenComment, Opening: plan.Opening{Scope: campaign.ScopeStaff, From: "2027-03-12", To: "2027-03-11"}}},
			{"an opening already past", PlanStep{Action: plan.OpenComment, Opening: plan.Opening{Scope: campaign.ScopeStaff, From: "2027-03-01", To: "2027-03-09"}}},
			{"an opening with a bad date", PlanStep{Action: plan.OpenComment, Opening: plan.Opening{Scope: campaign.ScopeStaff, From: "2027-3-1", To: "2027-03-19"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := f.s.StepPlan(ctx, f.reviewer, access.Reviewer, id, tc.st); !errors.Is(err, ErrInvalid) {
					t.Errorf("err = %v, want ErrInvalid", err)
				}
			})
		}
		f.step(t, f.reviewer, access.Reviewer, id, PlanStep{Action: plan.Submit})
		if err := f.s.StepPlan(ctx, f.supervisor, access.Supervisor, id, PlanStep{Action: plan.Return, Note: "  "}); !errors.Is(err, ErrInvalid) {
			t.Errorf("a return without a note: %v, want ErrInvalid", err)
		}
		f.step(t, f.supervisor, access.Supervisor, id, PlanStep{Action: plan.Approve})
		if err := f.s.StepPlan(ctx, f.reviewer, access.Reviewer, id, PlanStep{Action: plan.Publish, Publication: plan.Publication{Scope: "everyone"}}); !errors.Is(err, ErrInvalid) {
			t.Errorf("a publication to no known scope: %v, want ErrInvalid", err)
		}
		if err := f.s.StepPlan(ctx, f.reviewer, access.Reviewer, id+100, PlanStep{Action: plan.Submit}); !errors.Is(err, ErrNotFound) {
			t.Errorf("no such plan: %v, want ErrNotFound", err)
		}
		if p, _ := f.s.Plan(ctx, id); p.Status != plan.Approved || p.Scope != "" || len(p.ReviewNote) != 0 {
			t.Errorf("refused steps changed the plan: %+v", p)
		}
	})
}
