package report

// Campaign reports (#14): the report of one campaign, or of one of its phases. Its period is the
// campaign's (or the phase's) dates; its figures count the opinions that arrived in the campaign
// (stats.CampaignQuery, as the campaign figures page counts), beside those of the previous
// campaign (the one started before it: its whole span, or its phase of the same kind) in place
// of 环比 and 同比; and it carries the per-phase table of the campaign figures page.

import (
	"context"
	"fmt"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/stats"
	"minsheng/storage"
	"minsheng/vocab"
)

// CampaignRef is the campaign a campaign report covers, frozen with it when issued.
type CampaignRef struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Phase     int    `json:"phase,omitempty"`      // 0: the whole campaign
	PhaseKind string `json:"phase_kind,omitempty"` // campaign.Listen …
	PhaseName string `json:"phase_name,omitempty"` // as the report's language named it when drafted
	// Previous names the campaign compared with ("" for none: the first campaign, or one with
	// no phase of the same kind); PreviousPhase its phase, "" for its whole span.
	Previous      string `json:"previous,omitempty"`
	PreviousPhase string `json:"previous_phase,omitempty"`
	// Phases are the campaign's phases' rows, Whole the whole campaign's, Before the previous
	// campaign's (its whole span, or its phase of the same kind): the per-phase table.
	Phases []stats.CampaignRow `json:"phases"`
	Whole  stats.CampaignRow   `json:"whole"`
	Before *stats.CampaignRow  `json:"before,omitempty"`
}

// CampaignQuery names a campaign report: the campaign ID (in All, as storage.Campaigns lists
// them, most recently started first), Phase (0: the whole campaign), Unit ("" the system), the
// reader (whose scope counts, 纪检 drafting its version) and the language.
type CampaignQuery struct {
	All     []campaign.Campaign
	ID      int64
	Phase   int
	Unit    string
	Viewer  access.Viewer
	Printer *locale.Printer
}

// DraftCampaign builds the draft report of campaign q.ID (phase q.Phase): figures equal to
// stats.Compute of stats.CampaignQuery, compared with the previous campaign, with the per-phase
// table. storage.ErrNotFound (wrapped) when there is no such campaign, storage.ErrInvalid when
// it has no such phase.
func DraftCampaign(ctx context.Context, st *storage.Store, q CampaignQuery, kind string) (*Report, error) {
	if !ValidKind(kind) {
		return nil, fmt.Errorf("report: unknown kind %q", kind)
	}
	c, prev, found := stats.PreviousCampaign(q.All, q.ID)
	if !found {
		return nil, fmt.Errorf("report: campaign %d: %w", q.ID, storage.ErrNotFound)
	}
	ref := &CampaignRef{ID: c.ID, Name: c.Name, Phase: q.Phase}
	from, to := c.StartsOn, c.EndsOn
	if q.Phase != 0 {
		ph, ok := phaseOf(c, q.Phase)
		if !ok {
			return nil, fmt.Errorf("report: campaign %d has no phase %d: %w", c.ID, q.Phase, storage.ErrInvalid)
		}
		ref.PhaseKind, ref.PhaseName = ph.Kind, PhaseName(q.Printer, ph)
		from, to = ph.StartsOn, ph.EndsOn
	}
	span, err := period.Parse(from + ".." + to)
	if err != nil {
		return nil, fmt.Errorf("report: campaign %d: %w", c.ID, err)
	}
	today := st.Today()
	count := func(cp campaign.Campaign, phase int) (*stats.Figures, error) {
		sq, err := stats.CampaignQuery(cp, phase, q.Viewer, today)
		if err != nil {
			return nil, err
		}
		sq.Unit, sq.Printer = q.Unit, q.Printer
		return computeFor(ctx, st, sq)
	}
	var cmp stats.Comparison
	if cmp.Current, err = count(c, q.Phase); err != nil {
		return nil, err
	}
	prevPhase := 0
	if prev != nil && q.Phase != 0 {
		if prevPhase = stats.SamePhase(*prev, ref.PhaseKind); prevPhase == 0 {
			prev = nil // nothing of the same kind to compare with
		}
	}
	if prev != nil {
		ref.Previous = prev.Name
		if cmp.Previous, err = count(*prev, prevPhase); err != nil {
			return nil, err
		}
		if prevPhase != 0 {
			ph, _ := phaseOf(*prev, prevPhase)
			ref.PreviousPhase = PhaseName(q.Printer, ph)
		}
		before := stats.RowOf(cmp.Previous, campaign.Phase{})
		ref.Before = &before
	}
	for _, ph := range c.Phases {
		f := cmp.Current
		if ph.Seq != q.Phase {
			if f, err = count(c, ph.Seq); err != nil {
				return nil, err
			}
		}
		ref.Phases = append(ref.Phases, stats.RowOf(f, ph))
	}
	whole := cmp.Current
	if q.Phase != 0 {
		if whole, err = count(c, 0); err != nil {
			return nil, err
		}
	}
	ref.Whole = stats.RowOf(whole, campaign.Phase{})

	units, tags, err := names(ctx, st, q.Printer)
	if err != nil {
		return nil, err
	}
	sq := stats.Query{Period: span, Unit: q.Unit, Viewer: q.Viewer}
	r := build(&cmp, sq, kind, q.Printer, units, tags)
	r.Campaign = ref
	r.Narrative = drafted(r, q.Printer)
	r.Title = titleOf(r, q.Printer)
	return r, nil
}

// computeFor counts q as compareFor does, for one span: 纪检's version is the office's figures
// with the 举报 figures added.
func computeFor(ctx context.Context, st *storage.Store, q stats.Query) (*stats.Figures, error) {
	if q.Viewer.Role != access.Discipline || q.Public {
		return stats.Compute(ctx, st, q)
	}
	office := q
	office.Viewer = access.Viewer{Role: access.Reviewer, Today: q.Viewer.Today}
	f, err := stats.Compute(ctx, st, office)
	if err != nil {
		return nil, err
	}
	d, err := stats.Compute(ctx, st, q)
	if err != nil {
		return nil, err
	}
	f.Reports = d.Reports
	return f, nil
}

func phaseOf(c campaign.Campaign, seq int) (campaign.Phase, bool) {
	for _, ph := range c.Phases {
		if ph.Seq == seq {
			return ph, true
		}
	}
	return campaign.Phase{}, false
}

// PhaseName is a phase as people read it: its kind's name, or the admin's name for a custom one.
func PhaseName(p *locale.Printer, ph campaign.Phase) string {
	if ph.Kind == campaign.Custom {
		return ph.Name
	}
	return vocab.LabelIn(p, campaign.Kinds, ph.Kind)
}

// campaignLabel is the campaign as the title and the text name it: 名称（听取意见阶段）.
func campaignLabel(r *Report, p *locale.Printer) string {
	if r.Campaign.PhaseName == "" {
		return r.Campaign.Name
	}
	return p.T("report.campaign.with_phase", r.Campaign.Name, r.Campaign.PhaseName)
}

// previousLabel names what the campaign is compared with, "" for nothing.
func previousLabel(r *Report, p *locale.Printer) string {
	switch {
	case r.Campaign.Previous == "":
		return ""
	case r.Campaign.PreviousPhase == "":
		return r.Campaign.Previous
	}
	return p.T("report.campaign.with_phase", r.Campaign.Previous, r.Campaign.PreviousPhase)
}
