package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/campaign"
	"minsheng/lifecycle"
)

// assignedIn makes an opinion of campaignID (0: none) assigned to unit with post and person,
// published on the board with title unless title is "", and walked on to status.
func assignedIn(t *testing.T, s *Store, campaignID int64, unit, post, person string, publishName bool, title, status string) string {
	t.Helper()
	ctx := context.Background()
	id := mustCreateOpinion(t, s, NewOpinion{UnitCode: unit, Content: "提交人原话：挂号排队两个小时没人管"})
	if _, err := s.write.ExecContext(ctx, `UPDATE opinions SET campaign_id = ? WHERE id = ?`, campaignID, id); err != nil {
		t.Fatal(err)
	}
	walkTo(t, s, id, lifecycle.Triaged)
	step := fullStep(lifecycle.Assigned, "")
	step.LeadUnit, step.Post, step.Responsible, step.PublishName = unit, post, person, publishName
	if err := s.Transition(ctx, 0, id, step); err != nil {
		t.Fatal(err)
	}
	if status == lifecycle.Rectifying {
		if err := s.Transition(ctx, 0, id, lifecycle.Step{To: lifecycle.Rectifying, Kind: "immediate"}); err != nil {
			t.Fatal(err)
		}
	}
	if title != "" {
		if err := s.Publish(ctx, 0, id, title, "已要求整改。", ""); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func TestTaskListFromRectifications(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, ctx := b.mustOpen(t), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		cid, err := s.SaveCampaign(ctx, admin, spring2027())
		if err != nil {
			t.Fatal(err)
		}
		postOnly := assignedIn(t, s, cid, "county-hospital", "分管副院长", "张三", false, "门诊排队时间过长", lifecycle.Assigned)
		named := assignedIn(t, s, cid, "tcm-hospital", "科主任", "李四", true, "住院部夜间呼叫无人应答", lifecycle.Rectifying)
		assignedIn(t, s, cid, "county-hospital", "护士长", "王五", false, "", lifecycle.Assigned) // not on the board
		other := assignedIn(t, s, 0, "county-hospital", "院长", "赵六", false, "收费窗口态度差", lifecycle.Assigned)

		rows, err := s.TaskList(ctx, TaskFilter{CampaignID: cid})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("task list = %+v, want the campaign's two published rectifications", rows)
		}
		byID := map[string]TaskRow{rows[0].OpinionID: rows[0], rows[1].OpinionID: rows[1]}
		tests := []struct {
			name string
			got  TaskRow
			want TaskRow
		}{
			{"a post, the name withheld", byID[postOnly], TaskRow{OpinionID: postOnly, Task: "门诊排队时间过长", LeadUnit: "县人民医院",
				Post: "分管副院长", Name: "", Kind: "", Deadline: "2030-01-01", Status: lifecycle.Assigned}},
			{"the name published when ticked", byID[named], TaskRow{OpinionID: named, Task: "住院部夜间呼叫无人应答", LeadUnit: "县中医院",
				Post: "科主任", Name: "李四", Kind: "immediate", Deadline: "2030-01-01", Status: lifecycle.Rectifying}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.got != tt.want {
					t.Errorf("row = %+v, want %+v", tt.got, tt.want)
				}
			})
		}
		if n, err := s.Untitled(ctx, TaskFilter{CampaignID: cid}); err != nil || n != 1 {
			t.Errorf("Untitled = %d, %v; want 1 (the one not on the board)", n, err)
		}
		period, err := s.TaskList(ctx, TaskFilter{From: "2026-04-01", To: "2026-04-01"})
		if err != nil || len(period) != 3 {
			t.Fatalf("period task list = %d rows, %v; want 3 (every published rectification of the day)", len(period), err)
		}
		seen := false
		for _, r := range period {
			seen = seen || r.OpinionID == other
		}
		if !seen {
			t.Error("the period's list lacks the rectification outside any campaign")
		}
		if r, _ := s.Rectification(ctx, named); r.Post != "科主任" || !r.PublishName || r.Responsible != "李四" {
			t.Errorf("Rectification = %+v, want the post and the tick kept", r)
		}
	})
}

func TestPublishBulletinAndWithdraw(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, eng backend) {
		t.Parallel()
		s, ctx := eng.mustOpen(t), context.Background()
		admin := mustUser(t, s, "admin1", RoleAdmin, "")
		cid, err := s.SaveCampaign(ctx, admin, spring2027())
		if err != nil {
			t.Fatal(err)
		}
		work := assignedIn(t, s, cid, "county-hospital", "分管副院长", "张三", false, "门诊排队时间过长", lifecycle.Assigned)
		tests := []struct {
			name string
			n    NewBulletin
			want error
		}{
			{"a public notice", NewBulletin{CampaignID: cid, Kind: NoticeNotice, Title: "关于开展回头看的通知", Body: "正文", Scope: campaign.ScopePublic}, nil},
			{"a unit's 简报", NewBulletin{CampaignID: cid, Kind: NoticeBrief, Title: "县人民医院简报第1期", Body: "正文", Scope: campaign.ScopeUnit("county-hospital")}, nil},
			{"the task list", NewBulletin{CampaignID: cid, Kind: NoticeTaskList, Title: "整改任务书和时间表", Scope: campaign.ScopePublic}, nil},
			{"a period's task list", NewBulletin{Kind: NoticeTaskList, Title: "四月任务表", Scope: campaign.ScopeStaff, From: "2026-04-01", To: "2026-04-30"}, nil},
			{"no title", NewBulletin{Kind: NoticeNotice, Body: "正文", Scope: campaign.ScopePublic}, ErrInvalid},
			{"no body", NewBulletin{Kind: NoticeNotice, Title: "通知", Scope: campaign.ScopePublic}, ErrInvalid},
			{"no scope", NewBulletin{Kind: NoticeNotice, Title: "通知", Body: "正文"}, ErrInvalid},
			{"an unknown unit", NewBulletin{Kind: NoticeNotice, Title: "通知", Body: "正文", Scope: campaign.ScopeUnit("nowhere")}, ErrInvalid},
			{"an unknown kind", NewBulletin{Kind: "poster", Title: "通知", Body: "正文", Scope: campaign.ScopePublic}, ErrInvalid},
			{"an unknown campaign", NewBulletin{CampaignID: 999, Kind: NoticeNotice, Title: "通知", Body: "正文", Scope: campaign.ScopePublic}, ErrInvalid},
			{"a task list with neither campaign nor period", NewBulletin{Kind: NoticeTaskList, Title: "任务表", Scope: campaign.ScopePublic}, ErrInvalid},
		}
		ids := map[string]int64{}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id, err := s.PublishBulletin(ctx, admin, tt.n)
				if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				ids[tt.name] = id
			})
		}
		if got := len(auditActions(t, s, "notice_publish")); got != 4 {
			t.Errorf("notice_publish audited %d times, want 4", got)
		}

		// The snapshot is frozen: the work moves on, the published list does not.
		if err := s.Transition(ctx, 0, work, lifecycle.Step{To: lifecycle.Rectifying, Kind: "timed"}); err != nil {
			t.Fatal(err)
		}
		list, err := s.Bulletin(ctx, ids["the task list"], campaign.Reader{})
		if err != nil || len(list.Tasks) != 1 {
			t.Fatalf("task list = %+v, %v", list, err)
		}
		if got := list.Tasks[0]; got.Status != lifecycle.Assigned || got.Kind != "" || got.Task != "门诊排队时间过长" || got.Post != "分管副院长" || got.Name != "" {
			t.Errorf("snapshot row = %+v, want it as published (已交办, the post, no name)", got)
		}
		if p, _ := s.Bulletin(ctx, ids["a period's task list"], campaign.Reader{Staff: true}); len(p.Tasks) != 1 || p.From != "2026-04-01" {
			t.Errorf("period task list = %+v", p)
		}

		liaison := campaign.Reader{Staff: true, Unit: "county-hospital"}
		otherUnit := campaign.Reader{Staff: true, Unit: "tcm-hospital"}
		bureau := campaign.Reader{Staff: true, Bureau: true}
		reads := []struct {
			name   string
			reader campaign.Reader
			want   int // items of the campaign
		}{
			{"the public", campaign.Reader{}, 2},
			{"the unit's liaison", liaison, 3},
			{"another unit's liaison", otherUnit, 2},
			{"the bureau", bureau, 3},
		}
		for _, tt := range reads {
			t.Run("read by "+tt.name, func(t *testing.T) {
				got, err := s.Bulletins(ctx, BulletinFilter{Reader: tt.reader, CampaignID: cid})
				if err != nil || len(got) != tt.want {
					t.Fatalf("Bulletins = %d items, %v; want %d", len(got), err, tt.want)
				}
			})
		}
		brief := ids["a unit's 简报"]
		if _, err := s.Bulletin(ctx, brief, otherUnit); !errors.Is(err, ErrNotFound) {
			t.Errorf("another unit opens the unit's 简报: %v, want ErrNotFound", err)
		}
		if _, err := s.Bulletin(ctx, brief, campaign.Reader{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("the public opens the unit's 简报: %v, want ErrNotFound", err)
		}
		if b, err := s.Bulletin(ctx, brief, liaison); err != nil || b.Title != "县人民医院简报第1期" || b.By != "admin1" {
			t.Errorf("the unit's liaison opens it: %+v, %v", b, err)
		}

		notice := ids["a public notice"]
		if err := s.WithdrawBulletin(ctx, admin, notice); err != nil {
			t.Fatal(err)
		}
		if err := s.WithdrawBulletin(ctx, admin, notice); !errors.Is(err, ErrConflict) {
			t.Errorf("second withdrawal: %v, want ErrConflict", err)
		}
		if err := s.WithdrawBulletin(ctx, admin, 999); !errors.Is(err, ErrNotFound) {
			t.Errorf("withdrawing nothing: %v, want ErrNotFound", err)
		}
		if _, err := s.Bulletin(ctx, notice, bureau); !errors.Is(err, ErrNotFound) {
			t.Errorf("a withdrawn notice opens: %v", err)
		}
		public, _ := s.Bulletins(ctx, BulletinFilter{CampaignID: cid})
		if len(public) != 1 || public[0].ID != ids["the task list"] {
			t.Errorf("public items after the withdrawal = %+v, want the task list alone", public)
		}
		kept, _ := s.Bulletins(ctx, BulletinFilter{Reader: bureau, Withdrawn: true})
		if len(kept) != 4 || kept[len(kept)-1].WithdrawnOn != "2026-04-01" {
			t.Errorf("management list = %+v, want all four, the withdrawn one marked", kept)
		}
		if got := len(auditActions(t, s, "notice_withdraw")); got != 1 {
			t.Errorf("notice_withdraw audited %d times, want 1", got)
		}
	})
}
