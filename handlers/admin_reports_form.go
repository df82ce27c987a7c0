package handlers

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/report"
	"minsheng/storage"
)

// Limits of what staff write into a report. The whole form must stay under the 64 KB body
// limit (routes.go) however it is written: four parts of 1,500 characters and five cases of
// 150 are about 61 KB form-encoded at 9 bytes a Chinese character. A real 月度报告's four
// parts run to a few hundred characters each.
const (
	maxReportTitle   = 80
	maxReportPart    = 1500
	maxReportCases   = 5
	maxCaseSummary   = 150
	blankCaseRows    = 3 // empty case rows the draft page offers beside the chosen ones
	reportTitleField = "title"
)

// reportForm is the draft's form: which report (period, unit, kind, and the issued report it
// corrects), and, when posted, what staff wrote. The draft page opens with it from the
// archive's form (GET) and saves or issues it (POST).
type reportForm struct {
	Period string `form:"period" query:"period"`
	// Campaign names a campaign report instead of a period: "ID" (the whole campaign) or
	// "ID.SEQ" (one phase); "" for a period's report.
	Campaign string `form:"campaign" query:"campaign"`
	Unit     string `form:"unit" query:"unit"`
	Kind     string `form:"kind" query:"kind"`
	Replaces string `form:"replaces" query:"replaces"`

	Title         string   `form:"title"`
	Basics        string   `form:"basics"`
	Problems      string   `form:"problems"`
	Causes        string   `form:"causes"`
	Measures      string   `form:"measures"`
	CaseIDs       []string `form:"case_id"`
	CaseSummaries []string `form:"case_summary"`
}

func (f *reportForm) normalise() {
	for _, s := range []*string{&f.Period, &f.Campaign, &f.Unit, &f.Kind, &f.Replaces, &f.Title} {
		*s = strings.TrimSpace(*s)
	}
	if f.Kind == "" {
		f.Kind = report.Summary
	}
	// Text areas keep their lines; only the ends are trimmed, and Windows line ends become \n
	// so that the frozen text is the same whatever browser sent it.
	for _, s := range []*string{&f.Basics, &f.Problems, &f.Causes, &f.Measures} {
		*s = strings.TrimSpace(strings.ReplaceAll(*s, "\r\n", "\n"))
	}
}

// which validates what names the report: the period's spelling, the kind, the unit.
func (f reportForm) which(units []storage.Unit) (period.Period, locale.Fields) {
	errs := locale.Fields{}
	var p period.Period
	if f.Campaign != "" {
		if _, _, ok := f.campaignChoice(); !ok {
			errs["campaign"] = locale.M("reportpage.campaign_bad")
		}
	} else if pd, err := period.Parse(f.Period); err != nil {
		errs["period"] = locale.M("reportpage.period_bad")
	} else {
		p = pd
	}
	if !report.ValidKind(f.Kind) {
		errs["kind"] = locale.M("reportpage.kind_bad")
	}
	if f.Unit != "" && !slices.ContainsFunc(units, func(u storage.Unit) bool { return u.Code == f.Unit }) {
		errs["unit"] = locale.M("reportpage.unit_bad")
	}
	return p, errs
}

// campaignChoice reads f.Campaign: the campaign's id and the phase (0: the whole campaign).
func (f reportForm) campaignChoice() (id int64, phase int, ok bool) {
	idText, seqText, hasPhase := strings.Cut(f.Campaign, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, false
	}
	if hasPhase {
		if phase, err = strconv.Atoi(seqText); err != nil || phase <= 0 {
			return 0, 0, false
		}
	}
	return id, phase, true
}

// written validates what staff wrote: the title, the four parts, the cases (each an opinion
// the writer may open, with a summary). It returns the cases as typed, blanks dropped.
func (f reportForm) written(ctx context.Context, s *Server, v access.Viewer, errs locale.Fields) []report.Case {
	if msg := textProblem(f.Title, 1, maxReportTitle); msg.Key != "" {
		errs[reportTitleField] = fieldProblem("reportpage.title_label", msg)
	}
	for field, text := range map[string]string{"basics": f.Basics, "problems": f.Problems, "causes": f.Causes, "measures": f.Measures} {
		if msg := textProblem(text, 0, maxReportPart); msg.Key != "" {
			errs[field] = msg
		}
	}
	var cases []report.Case
	for i, id := range f.CaseIDs {
		summary := ""
		if i < len(f.CaseSummaries) {
			summary = strings.TrimSpace(f.CaseSummaries[i])
		}
		id = strings.TrimSpace(id)
		if id == "" && summary == "" {
			continue
		}
		cases = append(cases, report.Case{OpinionID: id, Summary: summary})
		key := caseField(len(cases) - 1)
		switch {
		case len(cases) > maxReportCases:
			errs[key] = locale.M("reportpage.case_too_many", maxReportCases)
		case id == "":
			errs[key] = locale.M("reportpage.case_no_id")
		case !s.opinionVisible(ctx, v, id):
			errs[key] = locale.M("reportpage.case_unknown", id)
		default:
			if msg := textProblem(summary, 1, maxCaseSummary); msg.Key != "" {
				errs[key] = fieldProblem("reportpage.case_summary", msg)
			}
		}
	}
	return cases
}

// caseField is the error key of the i-th case row (as the page numbers them, from 0).
func caseField(i int) string { return "case_" + strconv.Itoa(i) }

// opinionVisible reports whether id is an opinion v may open (a typical case must be one).
func (s *Server) opinionVisible(ctx context.Context, v access.Viewer, id string) bool {
	o, err := s.store.Opinion(ctx, id)
	if err != nil {
		if !errors.Is(err, storage.ErrNotFound) {
			s.staffLog.Error("report case", "err", err)
		}
		return false
	}
	return s.canSee(ctx, v, o)
}

// The rules of who reads and drafts which report. Who may issue is report.MayIssue's.

// mayReadReport reports whether v may open a report about unit ("" the whole system), and 纪检's
// version (with 举报) when discipline: the office reads every report, a liaison its own unit's,
// a leader the system's and its linked units' (联系点), a unit head their own unit's; 纪检's
// version is 纪检's alone.
func mayReadReport(v access.Viewer, unit string, discipline bool) bool {
	if discipline {
		return v.Role == access.Discipline
	}
	if v.Branch != "" { // a branch administrator (#15): the reports of the branch's units only
		return unit != "" && v.InBranch(unit)
	}
	switch v.Role {
	case access.Admin, access.Reviewer, access.Supervisor, access.Discipline:
		return true
	case access.Liaison, access.UnitHead: // a unit head (第一责任人) too: their own unit's
		return v.Unit != "" && unit == v.Unit
	case access.Leader:
		return unit == "" || slices.Contains(v.Linked, unit)
	}
	return false
}

// mayDraftReport reports whether v may open the draft of a report about unit: whoever may read
// it, but leaders, who read issued reports only.
func mayDraftReport(v access.Viewer, unit string) bool {
	return v.Role != access.Leader && mayReadReport(v, unit, false)
}

// reportUnits are the units v may choose on the forms: a liaison their own, others every one.
func reportUnits(v access.Viewer, all []storage.Unit) []storage.Unit {
	if v.Branch != "" {
		return unitsInBranch(v, all)
	}
	if v.Role != access.Liaison && v.Role != access.UnitHead {
		return all
	}
	var mine []storage.Unit
	for _, u := range all {
		if u.Code == v.Unit {
			mine = append(mine, u)
		}
	}
	return mine
}
