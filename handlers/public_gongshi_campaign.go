package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/plan"
	"minsheng/storage"
	"minsheng/vocab"
)

// phaseView is one phase of a campaign's timeline in the reader's words.
type phaseView struct {
	Name, StartsOn, EndsOn string
	Current, Past          bool
}

// campaignGongshiPage is the data of gongshi_campaign.html: a campaign's public page.
type campaignGongshiPage struct {
	Campaign campaign.Campaign
	Phases   []phaseView
	TaskList *noticeRow // the task list published last to the public, nil before any
	Tasks    []taskRowView
	Notices  []noticeRow // its other public items, newest first
	Plans    []planLink  // its plans published to the public (两方案一计划), newest first
}

// planLink is a published plan as the campaign's page lists it.
type planLink struct {
	ID                    int64
	Title, KindWords, Day string
}

// showCampaignGongshi handles GET /gongshi/c/{id}: a campaign's public page — its phases with
// their dates (today's marked), its published plans, the task list last published to the
// public and its public notices. Only ScopePublic items: a public page never sees a staff session.
func (s *Server) showCampaignGongshi(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	cp, err := s.store.Campaign(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	p, today := s.printer(c), s.store.Today()
	page := campaignGongshiPage{Campaign: cp}
	for _, ph := range cp.Phases {
		page.Phases = append(page.Phases, phaseView{Name: phaseName(p, ph), StartsOn: p.Day(ph.StartsOn),
			EndsOn: p.Day(ph.EndsOn), Current: ph.Contains(today), Past: ph.EndsOn < today})
	}
	public := campaign.Reader{}
	items, err := s.store.Bulletins(ctx, storage.BulletinFilter{Reader: public, CampaignID: id})
	if err != nil {
		return err
	}
	rows, err := s.noticeRows(c, items)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if r.Kind != storage.NoticeTaskList {
			page.Notices = append(page.Notices, r)
			continue
		}
		if page.TaskList != nil {
			continue // an older task list: the newest stands
		}
		list, err := s.store.Bulletin(ctx, r.ID, public)
		if err != nil {
			return err
		}
		page.TaskList, page.Tasks = &rows[i], taskRowViews(p, list.Tasks)
	}
	plans, err := s.store.PublishedPlans(ctx, id, public)
	if err != nil {
		return err
	}
	for _, pl := range plans {
		page.Plans = append(page.Plans, planLink{ID: pl.ID, Title: pl.Title,
			KindWords: vocab.LabelIn(p, plan.KindTerms, pl.Kind), Day: p.Day(pl.PublishedOn)})
	}
	return s.render(c, http.StatusOK, "gongshi_campaign", page)
}

// campaignLink is a campaign as /gongshi links to it: its name and its dates in the reader's
// words.
type campaignLink struct {
	ID                     int64
	Name, StartsOn, EndsOn string
}

// campaignLinks are every campaign, most recently started first, for /gongshi.
func (s *Server) campaignLinks(c echo.Context) ([]campaignLink, error) {
	all, err := s.store.Campaigns(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := s.printer(c)
	out := make([]campaignLink, len(all))
	for i, cp := range all {
		out[i] = campaignLink{ID: cp.ID, Name: cp.Name, StartsOn: p.Day(cp.StartsOn), EndsOn: p.Day(cp.EndsOn)}
	}
	return out, nil
}
