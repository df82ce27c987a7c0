package handlers

import (
	"context"

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

// scopeWords names a scope in p's language: 向社会公开, 全系统职工, or the staff of one unit by name.
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
