package report

import (
	"strings"

	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/stats"
)

// campaignTotal is the first paragraph of a campaign report's 基本情况: the count beside the
// previous campaign's, then, for a whole campaign of several phases, the count of each phase.
func campaignTotal(r *Report, p *locale.Printer, prev int, ok bool) []string {
	cur := r.Figures.Current
	paras := []string{p.Plural("report.basics.total_campaign", cur.Total, campaignLabel(r, p), campaignChange(r, p, cur.Total, prev, ok))}
	if r.Campaign.Phase != 0 || len(r.Campaign.Phases) < 2 {
		return paras
	}
	var parts []string
	for _, row := range r.Campaign.Phases {
		parts = append(parts, p.T("report.campaign.phase_item", PhaseName(p, row.Phase), row.Total))
	}
	return append(paras, p.T("report.campaign.phases", strings.Join(parts, p.T("report.list_sep"))))
}

// campaignChange tells the change from the previous campaign's count to now, as changeText
// tells 环比.
func campaignChange(r *Report, p *locale.Printer, now, base int, ok bool) string {
	name := previousLabel(r, p)
	if !ok || name == "" {
		return p.T("report.change.campaign_missing")
	}
	d := now - base
	abs := max(d, -d)
	switch {
	case base == 0:
		return p.T("report.change.campaign_from_zero", name)
	case d == 0:
		return p.T("report.change.campaign_same", name)
	case base < smallBase && d > 0:
		return p.T("report.change.campaign_more", name, abs, base)
	case base < smallBase:
		return p.T("report.change.campaign_fewer", name, abs, base)
	case d > 0:
		return p.T("report.change.campaign_up", name, percent(abs, base))
	}
	return p.T("report.change.campaign_down", name, percent(abs, base))
}

// campaignSection is the per-phase table of a campaign report, as the campaign figures page
// shows it: each phase, the whole campaign, the previous campaign.
func campaignSection(r *Report, p *locale.Printer) Section {
	s := Section{Key: "campaign", Title: p.T("report.section.campaign")}
	if name := previousLabel(r, p); name != "" {
		s.Text = p.T("report.campaign.compared", name)
	} else {
		s.Text = p.T("report.change.campaign_missing") + p.T("report.full_stop")
	}
	head := []string{p.T("report.col.phase"), p.T("report.col.received")}
	for _, st := range sifeng.Styles {
		head = append(head, sifeng.LabelIn(p, st.Code))
	}
	head = append(head, p.T("report.col.untagged"), p.T("report.col.rectified"), p.T("report.col.overdue"), p.T("report.row.rate"))
	t := Table{Key: "campaign-phases", Title: p.T("report.table.campaign_phases"), Header: head,
		Note: p.T("report.satisfaction.rule", threshold(stats.TargetRate), threshold(stats.RedoRate), stats.MinRatings)}
	row := func(label string, x stats.CampaignRow) {
		cells := []string{label, p.Number(x.Total)}
		for _, st := range sifeng.Styles {
			cells = append(cells, p.Number(find(x.ByStyle, st.Code)))
		}
		rateText := p.T("report.cell.few")
		if x.Rate != "" {
			rateText = p.T("report.cell.rate", x.Rate)
		}
		t.Rows = append(t.Rows, append(cells, p.Number(x.Untagged), p.Number(x.Done), p.Number(x.Overdue), rateText))
	}
	for _, x := range r.Campaign.Phases {
		row(PhaseName(p, x.Phase), x)
	}
	row(p.T("report.campaign.whole"), r.Campaign.Whole)
	if b := r.Campaign.Before; b != nil {
		row(p.T("report.campaign.previous", previousLabel(r, p)), *b)
	}
	s.Tables = append(s.Tables, t)
	return s
}

// campaignColumns turns the tables of a campaign report from 环比/同比 to the comparison with
// the previous campaign: 本期 and 上期 become this and the previous campaign, 环比 the change,
// and the columns of last year (never counted for a campaign) go.
func campaignColumns(out []Section, p *locale.Printer) {
	rename := map[string]string{p.T("report.col.now"): p.T("report.col.this_campaign"),
		p.T("report.col.prev"): p.T("report.col.prev_campaign"), p.T("report.col.mom"): p.T("report.col.campaign_change")}
	drop := map[string]bool{p.T("report.col.last_year"): true, p.T("report.col.yoy"): true}
	for i := range out {
		for j := range out[i].Tables {
			fixTable(&out[i].Tables[j], rename, drop, p)
		}
		for j := range out[i].Charts {
			for k := range out[i].Charts[j].Series {
				if n, ok := rename[out[i].Charts[j].Series[k].Name]; ok {
					out[i].Charts[j].Series[k].Name = n
				}
			}
			fixTable(&out[i].Charts[j].Table, rename, drop, p)
		}
	}
}

func fixTable(t *Table, rename map[string]string, drop map[string]bool, p *locale.Printer) {
	var keep []int
	for i, h := range t.Header {
		if !drop[h] {
			keep = append(keep, i)
		}
	}
	if len(keep) == len(t.Header) && !anyRenamed(t.Header, rename) {
		return
	}
	pickCols := func(row []string) []string {
		out := make([]string, 0, len(keep))
		for _, i := range keep {
			if i < len(row) {
				out = append(out, row[i])
			}
		}
		return out
	}
	t.Header = pickCols(t.Header)
	for i, h := range t.Header {
		if n, ok := rename[h]; ok {
			t.Header[i] = n
		}
	}
	for i := range t.Rows {
		t.Rows[i] = pickCols(t.Rows[i])
	}
	if t.Note == p.T("report.note.change") {
		t.Note = p.T("report.note.campaign_change")
	}
}

func anyRenamed(head []string, rename map[string]string) bool {
	for _, h := range head {
		if _, ok := rename[h]; ok {
			return true
		}
	}
	return false
}
