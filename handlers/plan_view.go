package handlers

import (
	"context"
	"strings"

	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/plan"
	"minsheng/storage"
	"minsheng/vocab"
)

// planView is a plan as its pages show it, its words in the reader's language.
type planView struct {
	storage.Plan
	CampaignName      string
	KindWords         string
	StatusWords       string
	ScopeWords        string // to whom it is published
	CommentScopeWords string // to whom the draft is open for comment
	Blocks            []plan.Block
	Tasks             []taskView
}

// taskView is a line of the task table: the responsible leader as the reader may see them (the
// post; the name beside it only if staff chose to publish it, or to staff).
type taskView struct {
	plan.Task
	Leader string
}

// scopeWords names a scope in p's language: 社会公众, 全系统职工, or the staff of one unit by name.
func scopeWords(p *locale.Printer, scope string, units []storage.Unit) string {
	if code := campaign.ScopeUnitCode(scope); code != "" {
		name := code
		for _, u := range units {
			if u.Code == code {
				name = u.Name
			}
		}
		return p.T("plans.scope_of_unit", name)
	}
	for _, t := range campaign.Scopes {
		if t.Code == scope {
			return t.In(p)
		}
	}
	return ""
}

// viewPlan puts pl in p's words; staff see the leaders' names even when not published.
func (s *Server) viewPlan(ctx context.Context, p *locale.Printer, pl storage.Plan, staff bool) (planView, error) {
	units, err := s.store.Units(ctx)
	if err != nil {
		return planView{}, err
	}
	v := planView{Plan: pl, Blocks: plan.Blocks(pl.Body),
		KindWords: vocab.LabelIn(p, plan.KindTerms, pl.Kind), StatusWords: vocab.LabelIn(p, plan.StatusTerms, pl.Status),
		ScopeWords: scopeWords(p, pl.Scope, units), CommentScopeWords: scopeWords(p, pl.CommentScope, units)}
	if c, err := s.store.Campaign(ctx, pl.CampaignID); err == nil {
		v.CampaignName = c.Name
	}
	for _, t := range pl.Tasks {
		leader := t.LeaderPost
		if t.LeaderName != "" && (staff || t.PublishName) {
			leader = p.T("plans.leader_with_name", t.LeaderPost, t.LeaderName)
		}
		v.Tasks = append(v.Tasks, taskView{Task: t, Leader: leader})
	}
	return v, nil
}

// planAuditTerms word the plans' actions in the audit log (storage/plan*.go); auditLabels
// holds them with the others.
var planAuditTerms = []vocab.Term{
	auditTerm("plan_create", "plans.audit_create"),
	auditTerm("plan_edit", "plans.audit_edit"),
	auditTerm("plan_task_add", "plans.audit_task_add"),
	auditTerm("plan_task_edit", "plans.audit_task_edit"),
	auditTerm("plan_task_remove", "plans.audit_task_remove"),
	auditTerm("plan_open_comment", "plans.audit_open_comment"),
	auditTerm("plan_close_comment", "plans.audit_close_comment"),
	auditTerm("plan_submit", "plans.audit_submit"),
	auditTerm("plan_approve", "plans.audit_approve"),
	auditTerm("plan_return", "plans.audit_return"),
	auditTerm("plan_publish", "plans.audit_publish"),
	auditTerm("plan_finish", "plans.audit_finish"),
	auditTerm("plan_step", "plans.audit_step"),
}

// planAuditDetail words the detail of a plan's step in the audit log ("12 draft→comment": 方案
// 12：草稿 → 征求意见中); false for any other action.
func planAuditDetail(p *locale.Printer, action, detail string) (string, bool) {
	if _, ok := planStepAudits[action]; !ok {
		return "", false
	}
	id, move, ok := strings.Cut(detail, " ")
	from, to, ok2 := strings.Cut(move, "→")
	if !ok || !ok2 {
		return "", false
	}
	return p.T("plans.audit_detail_step", id, vocab.LabelIn(p, plan.StatusTerms, from), vocab.LabelIn(p, plan.StatusTerms, to)), true
}

// planStepAudits are the audit actions of the plans' steps, whose detail is "ID FROM→TO".
var planStepAudits = map[string]bool{"plan_open_comment": true, "plan_close_comment": true, "plan_submit": true,
	"plan_approve": true, "plan_return": true, "plan_publish": true, "plan_finish": true, "plan_step": true}
