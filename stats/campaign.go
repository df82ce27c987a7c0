package stats

// A campaign's figures (#14): per phase and for the whole campaign, beside the previous
// campaign's (the one started before it), counted by Compute over the campaign's opinions in the
// reader's scope. The campaign figures page and the campaign report (package report) both read
// them from here, so that the two never disagree.

import (
	"context"
	"strconv"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/storage"
)

// CampaignRow is one line of a campaign's figures: a phase, or a whole campaign (Phase zero).
type CampaignRow struct {
	Phase    campaign.Phase `json:"phase"`
	Total    int            `json:"total"`    // opinions received
	ByStyle  []Count        `json:"by_style"` // sifeng order
	Untagged int            `json:"untagged"`
	Done     int            `json:"done"`    // rectified: reported done or further
	Overdue  int            `json:"overdue"` // open past the deadline today
	Rated    int            `json:"rated"`
	Rate     string         `json:"rate"`            // the satisfaction rate in percent, "" under MinRatings ratings
	Below    bool           `json:"below,omitempty"` // under TargetRate
	Redo     bool           `json:"redo,omitempty"`  // under RedoRate (补课)
}

// CampaignFigures are a campaign's rows: each phase, the whole, and the previous campaign's whole.
type CampaignFigures struct {
	Campaign campaign.Campaign
	Phases   []CampaignRow // one per phase, in order
	Whole    CampaignRow
	Previous *campaign.Campaign // the campaign started before it, nil for the first
	Before   CampaignRow        // the previous campaign's whole figures, when there is one
}

// CampaignQuery is the query of campaign c (phase 0: the whole of it) for v on today: the
// campaign's or the phase's opinions (storage's campaign filter bounds them by their days), and
// the ratings given from the phase's first day to today (or the campaign's end, if later).
func CampaignQuery(c campaign.Campaign, phase int, v access.Viewer, today string) (Query, error) {
	from := c.StartsOn
	for _, ph := range c.Phases {
		if ph.Seq == phase {
			from = ph.StartsOn
		}
	}
	last := max(c.EndsOn, today)
	span, err := period.Parse(from + ".." + last)
	if err != nil {
		return Query{}, err
	}
	return Query{Period: span, Campaign: c.ID, Phase: phase, Viewer: v, Today: today}, nil
}

// PreviousCampaign is the campaign started before id in all (most recently started first, as
// storage.Campaigns lists them); found is false when id is not in all.
func PreviousCampaign(all []campaign.Campaign, id int64) (c campaign.Campaign, prev *campaign.Campaign, found bool) {
	for i, cp := range all {
		if cp.ID != id {
			continue
		}
		if i+1 < len(all) {
			prev = &all[i+1]
		}
		return cp, prev, true
	}
	return campaign.Campaign{}, nil, false
}

// SamePhase is the phase of c of kind (its first, if several), 0 when c has none.
func SamePhase(c campaign.Campaign, kind string) int {
	for _, ph := range c.Phases {
		if ph.Kind == kind {
			return ph.Seq
		}
	}
	return 0
}

// RowOf is the row of figures f, counted for phase ph (zero: a whole campaign).
func RowOf(f *Figures, ph campaign.Phase) CampaignRow {
	row := CampaignRow{Phase: ph, Total: f.Total, ByStyle: f.ByStyle, Untagged: f.Untagged, Done: f.Rectification.Done,
		Overdue: f.Rectification.OverdueCount, Rated: f.Satisfaction.Rated}
	if rate, ok := f.Satisfaction.Rate(); ok {
		row.Rate = strconv.FormatFloat(rate, 'f', 1, 64)
		row.Below, row.Redo = rate < TargetRate, rate < RedoRate
	}
	return row
}

// CampaignRowOf counts one row: phase (0: the whole) of c as v reads it, in p's language.
func CampaignRowOf(ctx context.Context, st *storage.Store, c campaign.Campaign, phase int, v access.Viewer, p *locale.Printer) (CampaignRow, error) {
	q, err := CampaignQuery(c, phase, v, st.Today())
	if err != nil {
		return CampaignRow{}, err
	}
	q.Printer = p
	f, err := Compute(ctx, st, q)
	if err != nil {
		return CampaignRow{}, err
	}
	var ph campaign.Phase
	for _, x := range c.Phases {
		if x.Seq == phase {
			ph = x
		}
	}
	return RowOf(f, ph), nil
}

// CampaignTable counts campaign id of all (storage.Campaigns) as v reads it: every phase, the
// whole, the previous campaign's whole. storage.ErrNotFound when id is not in all.
func CampaignTable(ctx context.Context, st *storage.Store, all []campaign.Campaign, id int64, v access.Viewer, p *locale.Printer) (*CampaignFigures, error) {
	c, prev, found := PreviousCampaign(all, id)
	if !found {
		return nil, storage.ErrNotFound
	}
	out := &CampaignFigures{Campaign: c, Previous: prev}
	for _, ph := range c.Phases {
		row, err := CampaignRowOf(ctx, st, c, ph.Seq, v, p)
		if err != nil {
			return nil, err
		}
		out.Phases = append(out.Phases, row)
	}
	var err error
	if out.Whole, err = CampaignRowOf(ctx, st, c, 0, v, p); err != nil {
		return nil, err
	}
	if prev != nil {
		if out.Before, err = CampaignRowOf(ctx, st, *prev, 0, v, p); err != nil {
			return nil, err
		}
	}
	return out, nil
}
