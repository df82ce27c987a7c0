package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/plan"
)

// TestPlanCommentsAreOpinions: a comment on a draft open for comment is an opinion, linked to
// the plan in its own transaction; outside the period, or on a plan not open, nothing is stored.
func TestPlanCommentsAreOpinions(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		f := newPlanFixture(t, b)
		ctx := context.Background()
		id := f.draft(t, "征求意见稿")
		comment := func(unit, text string) (string, error) {
			return f.s.CreateOpinion(ctx, NewOpinion{Type: "suggestion", UnitCode: unit, Submitter: "public",
				Content: text, PlanID: id}, newReceiptHash(t))
		}
		if _, err := comment("bureau", "草稿还没有征求意见时的意见"); !errors.Is(err, ErrPlanClosed) {
			t.Fatalf("a comment on a draft not open: %v, want ErrPlanClosed", err)
		}
		f.step(t, f.reviewer, access.Reviewer, id, PlanStep{Action: plan.OpenComment,
			Opening: plan.Opening{Scope: campaign.ScopePublic, From: "2027-03-10", To: "2027-03-12"}})
		first, err := comment("bureau", "建议把验收标准写得更具体一些。")
		if err != nil {
			t.Fatal(err)
		}
		second, err := comment("county-hospital", "希望公开承诺写明办结时限。")
		if err != nil {
			t.Fatal(err)
		}
		p, _ := f.s.Plan(ctx, id)
		if p.Comments != 2 {
			t.Errorf("comments counted %d, want 2", p.Comments)
		}
		if o, err := f.s.Opinion(ctx, first); err != nil || o.Type != "suggestion" {
			t.Errorf("the comment as an opinion: %+v, %v", o, err)
		}
		if pid, title, err := f.s.PlanOfComment(ctx, second); err != nil || pid != id || title != "征求意见稿" {
			t.Errorf("PlanOfComment = %d %q %v", pid, title, err)
		}
		for _, tc := range []struct {
			name string
			v    access.Viewer
			want int
		}{
			{"the office", access.Viewer{Role: access.Reviewer}, 2},
			{"the supervision group", access.Viewer{Role: access.Supervisor}, 2},
			{"the county hospital's liaison", access.Viewer{Role: access.Liaison, Unit: "county-hospital"}, 0},
			{"discipline", access.Viewer{Role: access.Discipline}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := f.s.PlanComments(ctx, id, tc.v)
				if err != nil || len(got) != tc.want {
					t.Errorf("PlanComments = %d, %v; want %d", len(got), err, tc.want)
				}
			})
		}
		before := countRows(t, f.s, "opinions", "")
		f.clock.Advance(3 * 24 * time.Hour) // 2027-03-13: the period is over
		if _, err := comment("bureau", "期限过后才写的意见。"); !errors.Is(err, ErrPlanClosed) {
			t.Errorf("a comment after the period: %v, want ErrPlanClosed", err)
		}
		if after := countRows(t, f.s, "opinions", ""); after != before {
			t.Errorf("a refused comment stored an opinion: %d → %d", before, after)
		}
		if n := countRows(t, f.s, "plan_comments", "plan_id = ?", id); n != 2 {
			t.Errorf("plan_comments rows = %d, want 2", n)
		}
		// An ordinary opinion in the same batch as a refused comment is stored.
		if _, err := f.s.CreateOpinion(ctx, NewOpinion{Type: "praise", UnitCode: "bureau", Submitter: "public",
			Content: "门诊服务很好，谢谢医生。"}, newReceiptHash(t)); err != nil {
			t.Errorf("an ordinary opinion: %v", err)
		}
	})
}

// TestPlanTasks: the office adds, edits and removes tasks while the plan is a draft; other
// roles and other states are refused; unknown units and opinions are ErrInvalid.
func TestPlanTasks(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		f := newPlanFixture(t, b)
		ctx := context.Background()
		id := f.draft(t, "专项整治方案")
		task := plan.Task{What: "缩短门诊候诊时间", Goal: "平均候诊不超过30分钟", Measures: "增设分时段预约",
			LeaderPost: "分管副院长", LeaderName: "张三", Unit: "county-hospital", Commitment: "三个月内见效",
			Acceptance: "抽查候诊时间", Deadline: "2027-05-31"}
		seq, err := f.s.SavePlanTask(ctx, f.reviewer, access.Reviewer, id, task)
		if err != nil || seq != 1 {
			t.Fatalf("add: %d, %v", seq, err)
		}
		second := plan.Task{What: "完善投诉处理制度"}
		if seq, err := f.s.SavePlanTask(ctx, f.reviewer, access.Reviewer, id, second); err != nil || seq != 2 {
			t.Fatalf("add a second: %d, %v", seq, err)
		}
		task.Seq, task.PublishName, task.Deadline = 1, true, "2027-04-30"
		if _, err := f.s.SavePlanTask(ctx, f.reviewer, access.Reviewer, id, task); err != nil {
			t.Fatal(err)
		}
		p, _ := f.s.Plan(ctx, id)
		if len(p.Tasks) != 2 || p.Tasks[0].Deadline != "2027-04-30" || !p.Tasks[0].PublishName ||
			p.Tasks[0].UnitName != "县人民医院" || p.Tasks[1].What != "完善投诉处理制度" || p.Tasks[1].Unit != "" {
			t.Fatalf("tasks %+v", p.Tasks)
		}
		for _, tc := range []struct {
			name string
			role string
			task plan.Task
			want error
		}{
			{"the supervision group", access.Supervisor, plan.Task{What: "x"}, ErrConflict},
			{"a liaison", access.Liaison, plan.Task{What: "x"}, ErrConflict},
			{"an unknown unit", access.Reviewer, plan.Task{What: "x", Unit: "nowhere"}, ErrInvalid},
			{"an unknown opinion", access.Reviewer, plan.Task{What: "x", OpinionID: "nosuchone"}, ErrInvalid},
			{"no task", access.Reviewer, plan.Task{What: " "}, ErrInvalid},
			{"a task not there", access.Reviewer, plan.Task{Seq: 9, What: "x"}, ErrNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := f.s.SavePlanTask(ctx, f.reviewer, tc.role, id, tc.task); !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			})
		}
		if err := f.s.RemovePlanTask(ctx, f.reviewer, access.Reviewer, id, 1); err != nil {
			t.Fatal(err)
		}
		if err := f.s.RemovePlanTask(ctx, f.reviewer, access.Reviewer, id, 1); !errors.Is(err, ErrNotFound) {
			t.Errorf("removing twice: %v", err)
		}
		f.step(t, f.reviewer, access.Reviewer, id, PlanStep{Action: plan.Submit})
		if _, err := f.s.SavePlanTask(ctx, f.reviewer, access.Reviewer, id, plan.Task{What: "审核中加任务"}); !errors.Is(err, ErrConflict) {
			t.Errorf("a task added under review: %v, want ErrConflict", err)
		}
		if err := f.s.EditPlan(ctx, f.reviewer, access.Reviewer, id, plan.Text{CampaignID: f.campaign, Kind: plan.Special, Title: "改"}); !errors.Is(err, ErrConflict) {
			t.Errorf("the text edited under review: %v, want ErrConflict", err)
		}
		if p, _ := f.s.Plan(ctx, id); len(p.Tasks) != 1 || p.Tasks[0].Seq != 2 || p.Title != "专项整治方案" {
			t.Errorf("after the refusals: %+v", p)
		}
		for _, action := range []string{"plan_task_add", "plan_task_edit", "plan_task_remove"} {
			if len(auditActions(t, f.s, action)) == 0 {
				t.Errorf("%s not audited", action)
			}
		}
	})
}
