package handlers

import (
	"errors"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/storage"
	"minsheng/workday"
)

// itemCampaign is what the item page says of the campaign the opinion arrived in: its name,
// the phase it was in on arrival, the answers given to its questions, and the default
// deadlines (限时办结) the handing-out form starts from.
type itemCampaign struct {
	Name, Phase string
	Answers     []storage.CampaignAnswer
	// Immediate and Limited are today + the campaign's working days for 立行立改 and 限期整改
	// (YYYY-MM-DD), with those numbers of days.
	Immediate, Limited           string
	ImmediateDays, LimitedDays   int
	ImmediateShown, LimitedShown string // the same days as the reader's language writes them
}

// fillCampaign puts the opinion's campaign on the page, with its answers written as v may read
// them, and pre-fills the handing-out form's deadline with the 限期整改 default unless the
// reviewer already typed one (a refused form keeps what was typed).
func (s *Server) fillCampaign(c echo.Context, page *itemPage, o storage.Opinion) error {
	if o.CampaignID == 0 {
		return nil
	}
	ctx, p, v := c.Request().Context(), s.printer(c), viewer(c)
	cp, err := s.store.Campaign(ctx, o.CampaignID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	ic := &itemCampaign{Name: cp.Name, ImmediateDays: cp.ImmediateDays, LimitedDays: cp.LimitedDays}
	day := o.CreatedOn
	if o.ReceivedOn != "" {
		day = o.ReceivedOn
	}
	if ph, ok := cp.PhaseOn(day); ok {
		ic.Phase = phaseName(p, ph)
	}
	if ic.Answers, err = s.store.CampaignAnswers(ctx, o.ID); err != nil {
		return err
	}
	for i := range ic.Answers {
		ic.Answers[i].Answer = v.PublicText(ic.Answers[i].Answer)
	}
	ic.Immediate, ic.Limited = s.campaignDeadlines(cp)
	ic.ImmediateShown, ic.LimitedShown = p.Day(ic.Immediate), p.Day(ic.Limited)
	if page.Step.Status == "" && page.Step.Deadline == "" {
		page.Step.Deadline = ic.Limited
	}
	page.Campaign = ic
	return nil
}

// campaignDeadlines are today + the campaign's working days for 立行立改 and for 限期整改,
// counted on the portal's calendar (with the holidays and 调休 the administrator entered).
func (s *Server) campaignDeadlines(cp campaign.Campaign) (immediate, limited string) {
	today, err := workday.ParseDate(s.store.Today())
	if err != nil {
		return "", ""
	}
	cal := s.cal()
	return cal.AddWorkdays(today, cp.ImmediateDays).String(), cal.AddWorkdays(today, cp.LimitedDays).String()
}
