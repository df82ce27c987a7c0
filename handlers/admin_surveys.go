package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/qrimg"
	"minsheng/stats"
	"minsheng/storage"
)

// surveyBuildForm is the administrator's "new survey" form. Thresholds stay text so a wrong
// entry comes back as typed.
type surveyBuildForm struct {
	Title            string   `form:"title"`
	StartsOn         string   `form:"starts_on"`
	EndsOn           string   `form:"ends_on"`
	Units            []string `form:"units"`
	Items            string   `form:"items"` // one item per line
	Scale            string   `form:"scale"`
	FreeText         string   `form:"free_text"`
	ItemThreshold    string   `form:"item_threshold"`
	OverallThreshold string   `form:"overall_threshold"`
	Campaign         string   `form:"campaign"` // the campaign's id, "" for none
}

func (f *surveyBuildForm) normalise() {
	f.Title, f.FreeText = strings.TrimSpace(f.Title), strings.TrimSpace(f.FreeText)
	f.StartsOn, f.EndsOn, f.Scale = strings.TrimSpace(f.StartsOn), strings.TrimSpace(f.EndsOn), strings.TrimSpace(f.Scale)
	f.ItemThreshold, f.OverallThreshold = strings.TrimSpace(f.ItemThreshold), strings.TrimSpace(f.OverallThreshold)
}

// itemLines are the items, one per non-blank line.
func (f surveyBuildForm) itemLines() []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(f.Items, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Chose reports whether the unit with code is ticked (for the template).
func (f surveyBuildForm) Chose(code string) bool {
	for _, u := range f.Units {
		if u == code {
			return true
		}
	}
	return false
}

// Validate returns a message per wrong field; units are those a survey may cover.
func (f surveyBuildForm) Validate(units []storage.Unit) locale.Fields {
	errs := locale.Fields{}
	if f.Title == "" {
		errs["title"] = locale.M("surveys.need_title")
	} else if m := textProblem(f.Title, 1, storage.MaxSurveyTitle); m.Key != "" {
		errs["title"] = locale.M("surveys.title_problem", m)
	}
	start, serr := time.Parse("2006-01-02", f.StartsOn)
	end, eerr := time.Parse("2006-01-02", f.EndsOn)
	if serr != nil {
		errs["starts_on"] = locale.M("surveys.need_start")
	}
	if eerr != nil {
		errs["ends_on"] = locale.M("surveys.need_end")
	} else if serr == nil && end.Before(start) {
		errs["ends_on"] = locale.M("surveys.end_before_start")
	}
	if len(f.Units) == 0 {
		errs["units"] = locale.M("surveys.need_units")
	}
	for _, code := range f.Units {
		if !unitListed(units, code) {
			errs["units"] = locale.M("surveys.unit_not_listed")
		}
	}
	items := f.itemLines()
	switch {
	case len(items) == 0:
		errs["items"] = locale.M("surveys.need_items")
	case len(items) > storage.MaxSurveyItems:
		errs["items"] = locale.M("surveys.too_many_items", storage.MaxSurveyItems, len(items))
	}
	for i, it := range items {
		if m := textProblem(it, 1, storage.MaxSurveyItem); m.Key != "" {
			errs["items"] = locale.M("surveys.item_problem", i+1, m)
			break
		}
	}
	if f.Scale != storage.ScaleThree && f.Scale != storage.ScaleFive {
		errs["scale"] = locale.M("surveys.need_scale")
	}
	if m := textProblem(f.FreeText, 0, storage.MaxSurveyItem); m.Key != "" {
		errs["free_text"] = locale.M("surveys.free_text_problem", m)
	}
	for field, v := range map[string]string{"item_threshold": f.ItemThreshold, "overall_threshold": f.OverallThreshold} {
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 100 {
			errs[field] = locale.M("surveys.threshold_range")
		}
	}
	return errs
}

// surveyLink is where a poster's QR code points for one unit or department; QR is the staff
// route that draws that code as a PNG.
type surveyLink struct{ Label, URL, QR string }

// surveyRow is one survey in the list.
type surveyRow struct {
	storage.Survey
	Status string
	Links  []surveyLink
}

// surveysPage is the data of templates/pages/surveys.html.
type surveysPage struct {
	Surveys  []surveyRow
	CanBuild bool
	Units    []storage.Unit
	Form     surveyBuildForm
	Errors   map[string]string
	Message  string
	Address  printedAddress // the surveys' poster links start with it
	// Campaigns are the choices of the campaign select.
	Campaigns []campaignChoice
}

// showSurveys handles GET /admin/surveys: the surveys with their poster links; for an
// administrator, the form to build one.
func (s *Server) showSurveys(c echo.Context) error {
	_, running, err := s.campaignChoices(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderSurveys(c, http.StatusOK, surveysPage{Form: surveyBuildForm{Scale: storage.ScaleThree,
		StartsOn: s.store.Today(), ItemThreshold: "85", OverallThreshold: "90", Campaign: running}})
}

// createSurvey handles POST /admin/surveys (administrators): 422 with the form as typed, or
// 303 back to the list.
func (s *Server) createSurvey(c echo.Context) error {
	var f surveyBuildForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.normalise()
	v := viewer(c)
	for _, code := range f.Units {
		if !v.OwnsInBranch(code) {
			return errOutsideBranch // a unit of another branch
		}
	}
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return err
	}
	errs := f.Validate(unitsInBranch(v, units))
	campaignID, err := s.chosenCampaign(c.Request().Context(), f.Campaign, errs)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		p := s.printer(c)
		return s.renderSurveys(c, http.StatusUnprocessableEntity, surveysPage{Form: f, Errors: p.Fields(errs),
			Message: p.T("surveys.fix_marked")})
	}
	it, _ := strconv.Atoi(f.ItemThreshold)
	all, _ := strconv.Atoi(f.OverallThreshold)
	u, _ := staffUser(c)
	_, err = s.store.CreateSurvey(c.Request().Context(), u.ID, storage.NewSurvey{Title: f.Title, StartsOn: f.StartsOn,
		EndsOn: f.EndsOn, Scale: f.Scale, FreeText: f.FreeText, Units: f.Units, Items: f.itemLines(),
		ItemThreshold: it, OverallThreshold: all, CampaignID: campaignID, Branch: v.Branch})
	if errors.Is(err, storage.ErrInvalid) { // a unit retired meanwhile
		return s.renderSurveys(c, http.StatusUnprocessableEntity, surveysPage{Form: f,
			Errors: map[string]string{"units": s.printer(c).T("surveys.unit_retired")}})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/surveys")
}

// renderSurveys lists the surveys around what page already holds.
func (s *Server) renderSurveys(c echo.Context, status int, page surveysPage) error {
	ctx := c.Request().Context()
	surveys, err := s.store.Surveys(ctx)
	if err != nil {
		return err
	}
	nodes, err := s.store.AllUnits(ctx)
	if err != nil {
		return err
	}
	today, p, v := s.store.Today(), s.printer(c), viewer(c)
	for _, sv := range surveys {
		if !ownsSurvey(v, sv.Branch) {
			continue // the whole portal's, or another branch's
		}
		row := surveyRow{Survey: sv, Status: p.T("surveys.status_open")}
		switch {
		case today < sv.StartsOn:
			row.Status = p.T("surveys.status_not_started")
		case today > sv.EndsOn:
			row.Status = p.T("surveys.status_ended")
		}
		id := strconv.FormatInt(sv.ID, 10)
		link := func(label string, q url.Values) surveyLink {
			return surveyLink{label, "/survey/" + id + "?" + q.Encode(), "/admin/surveys/" + id + "/qr.png?" + q.Encode()}
		}
		for _, u := range sv.Units {
			row.Links = append(row.Links, link(u.Name, url.Values{"unit": {u.Code}}))
			for _, n := range nodes {
				if n.IsDept() && n.Active && n.ParentCode == u.Code {
					row.Links = append(row.Links, link(u.Name+" · "+n.Name, url.Values{"unit": {u.Code}, "dept": {n.Name}}))
				}
			}
		}
		page.Surveys = append(page.Surveys, row)
	}
	page.CanBuild = v.Can(access.AdministerBranch)
	if page.Campaigns, _, err = s.campaignChoices(ctx); err != nil {
		return err
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	page.Units = unitsInBranch(v, page.Units)
	page.Address = s.printedAddressFor(c, p.T("surveys.poster_unprintable"))
	return s.render(c, status, "surveys", page)
}

// surveyQRCode handles GET /admin/surveys/{id}/qr.png?unit=&dept=: the QR code of the survey's
// link for that unit (and department), as a PNG to put on a poster. Only units the survey
// covers are drawn, so a poster never sends patients to a form that refuses them.
func (s *Server) surveyQRCode(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	sv, err := s.store.Survey(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !ownsSurvey(viewer(c), sv.Branch) {
		return errOutsideBranch
	}
	unit, dept := c.QueryParam("unit"), c.QueryParam("dept")
	if !sv.Covers(unit) || textProblem(dept, 0, storage.MaxSurveyDept).Key != "" {
		return echo.ErrNotFound
	}
	q := url.Values{"unit": {unit}}
	if dept != "" {
		q.Set("dept", dept)
	}
	if a := s.printedAddressFor(c, s.printer(c).T("surveys.qr_unavailable")); a.Problem != "" {
		return s.refuseUnprintable(c, a)
	}
	png, err := qrimg.PNG(s.publicBase(c)+"/survey/"+strconv.FormatInt(id, 10)+"?"+q.Encode(), 1024)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="survey-`+strconv.FormatInt(id, 10)+`-qr.png"`)
	return c.Blob(http.StatusOK, "image/png", png)
}

// rateCell is one rate as the results show it: "<5" under five answers, marked when below.
type rateCell struct {
	Text  string
	Below bool
}

// enough says whether the people behind t are at least five: for one item its answers, for
// the overall figure the group's responses (its answers are responses × items, so eight
// answers may still be four people).
func cellOf(t stats.Tally, enough bool, threshold int) rateCell {
	switch {
	case t.Total() == 0:
		return rateCell{Text: "—"}
	case !enough:
		return rateCell{Text: "<5"}
	}
	return rateCell{Text: strconv.FormatFloat(t.Rate(), 'f', 1, 64) + "%", Below: !t.Meets(threshold)}
}

// resultRow is one group (everyone, a unit, a department) on the results page.
type resultRow struct {
	Name      string
	Responses int
	Items     []rateCell
	Overall   rateCell
	Below     bool
}

func rowOf(sv storage.Survey, name string, g stats.SurveyGroup) resultRow {
	r := resultRow{Name: name, Responses: g.Responses, Overall: cellOf(g.Overall, g.Enough(), sv.OverallThreshold), Below: g.Below(sv)}
	for _, t := range g.Items {
		r.Items = append(r.Items, cellOf(t, t.Enough(), sv.ItemThreshold))
	}
	return r
}

// rateTable is one table of rates: a row per group, a column per item.
type rateTable struct {
	ID, Head string
	Items    []storage.SurveyItem
	Rows     []resultRow
}

// surveyResultsPage is the data of templates/pages/survey_results.html.
type surveyResultsPage struct {
	Survey                         storage.Survey
	AllTable, UnitTable, DeptTable rateTable
	Redo                           []resultRow
	Comments                       []storage.SurveyComment
	// CanEdit shows an administrator the form to change the pass marks.
	CanEdit    bool
	Thresholds thresholdForm
	Errors     map[string]string
}

// thresholdForm changes a survey's pass marks; text, so a wrong entry comes back as typed.
type thresholdForm struct {
	Item    string `form:"item_threshold"`
	Overall string `form:"overall_threshold"`
}

// Validate returns a message per mark that is not a whole number from 0 to 100.
func (f thresholdForm) Validate() locale.Fields {
	errs := locale.Fields{}
	for field, v := range map[string]string{"item_threshold": f.Item, "overall_threshold": f.Overall} {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n < 0 || n > 100 {
			errs[field] = locale.M("surveys.threshold_range")
		}
	}
	return errs
}

// showSurveyResults handles GET /admin/surveys/{id}: rates per item, unit and department against
// the thresholds, the 补课 list and the free-text answers (with their unit only).
func (s *Server) showSurveyResults(c echo.Context) error {
	return s.renderSurveyResults(c, http.StatusOK, thresholdForm{}, nil)
}

// setSurveyThresholds handles POST /admin/surveys/{id}/thresholds (administrators): 422 with
// the results and the marks as typed, or 303 back to the results judged on the new marks.
func (s *Server) setSurveyThresholds(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	var f thresholdForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderSurveyResults(c, http.StatusUnprocessableEntity, f, s.printer(c).Fields(errs))
	}
	if err := s.mayOwnSurvey(c, id); err != nil {
		return err
	}
	item, _ := strconv.Atoi(strings.TrimSpace(f.Item))
	overall, _ := strconv.Atoi(strings.TrimSpace(f.Overall))
	u, _ := staffUser(c)
	if err := s.store.SetSurveyThresholds(c.Request().Context(), u.ID, id, item, overall); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/surveys/"+strconv.FormatInt(id, 10))
}

// renderSurveyResults shows the results of the survey in the route, with the threshold form as
// typed (empty: the survey's own marks).
func (s *Server) renderSurveyResults(c echo.Context, status int, f thresholdForm, errs map[string]string) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	if err := s.mayOwnSurvey(c, id); err != nil {
		return err
	}
	res, err := stats.ComputeSurvey(c.Request().Context(), s.store, id)
	if err != nil {
		return err
	}
	res = res.SeenBy(viewer(c)) // the free-text answers, like an opinion's text
	sv := res.Survey
	if errs == nil {
		f = thresholdForm{Item: strconv.Itoa(sv.ItemThreshold), Overall: strconv.Itoa(sv.OverallThreshold)}
	}
	p := s.printer(c)
	page := surveyResultsPage{Survey: sv, Comments: res.Comments,
		CanEdit: viewer(c).Can(access.AdministerBranch), Thresholds: f, Errors: errs,
		AllTable: rateTable{ID: "all", Head: p.T("surveys.col_scope"), Items: sv.Items,
			Rows: []resultRow{rowOf(sv, p.T("surveys.everyone"), res.All)}},
		UnitTable: rateTable{ID: "units", Head: p.T("column.unit"), Items: sv.Items},
		DeptTable: rateTable{ID: "depts", Head: p.T("surveys.col_unit_dept"), Items: sv.Items}}
	for _, g := range res.Units {
		page.UnitTable.Rows = append(page.UnitTable.Rows, rowOf(sv, g.UnitName, g))
	}
	for _, g := range res.Depts {
		dept := g.Dept
		if dept == "" {
			dept = p.T("surveys.no_dept")
		}
		page.DeptTable.Rows = append(page.DeptTable.Rows, rowOf(sv, g.UnitName+" · "+dept, g))
	}
	for _, g := range res.Redo() {
		page.Redo = append(page.Redo, rowOf(sv, g.UnitName, g))
	}
	return s.render(c, status, "survey_results", page)
}
