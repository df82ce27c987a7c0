package handlers

import (
	"context"
	"strconv"
	"strings"

	"minsheng/campaign"
	"minsheng/locale"
)

// campaignChoice is the campaign select of the survey and evaluation forms: every campaign,
// the latest first; "" chooses none.
type campaignChoice struct {
	ID   string
	Name string
}

// campaignChoices lists the campaigns for a select, and the one running today (the default
// choice of a new survey or evaluation; "" when none runs).
func (s *Server) campaignChoices(ctx context.Context) ([]campaignChoice, string, error) {
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return nil, "", err
	}
	out := make([]campaignChoice, len(all))
	for i, c := range all {
		out[i] = campaignChoice{ID: strconv.FormatInt(c.ID, 10), Name: c.Name}
	}
	running := ""
	if now := campaign.Current(all, s.store.Today()); len(now) > 0 {
		running = strconv.FormatInt(now[0].ID, 10)
	}
	return out, running, nil
}

// chosenCampaign reads a campaign select: 0 for none, else a listed campaign's id; a value that
// names no campaign gets a message for the field "campaign".
func (s *Server) chosenCampaign(ctx context.Context, value string, errs locale.Fields) (int64, error) {
	value = strings.TrimSpace(value)
	if value == "" || value == "0" {
		return 0, nil
	}
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return 0, err
	}
	id, perr := strconv.ParseInt(value, 10, 64)
	for _, c := range all {
		if perr == nil && c.ID == id {
			return id, nil
		}
	}
	errs["campaign"] = locale.M("campaign.choose_listed")
	return 0, nil
}

// campaignClosedNote says why a survey or evaluation of campaign id takes no answers today
// when the campaign's collection window is closed; "" when it is open, or for no campaign.
func (s *Server) campaignClosedNote(ctx context.Context, p *locale.Printer, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return "", err
	}
	today := s.store.Today()
	for _, c := range all {
		if c.ID == id && !c.WindowOpen(today) {
			return closedNote(p, c, today), nil
		}
	}
	return "", nil
}
