package handlers

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
)

// stepForm is one move along the lifecycle, as the item page posts it. Only the fields of the
// target status are read.
type stepForm struct {
	Status      string `form:"status"`
	LeadUnit    string `form:"lead_unit"`
	Responsible string `form:"responsible"`
	Post        string `form:"post"`         // the responsible post the public task list names
	PublishName bool   `form:"publish_name"` // the task list may name the person too
	Measures    string `form:"measures"`
	Ledger      string `form:"ledger"`
	Deadline    string `form:"deadline"`
	// DeadlineDays is the deadline as a number of working days from today, used when Deadline
	// is empty.
	DeadlineDays string `form:"deadline_days"`
	Kind         string `form:"kind"`
	Explanation  string `form:"explanation"`
	Report       string `form:"report"`
	Note         string `form:"note"`
	Reason       string `form:"reason"`
	MergeInto    string `form:"merge_into"`
	// visit is what the 满意度回访 has gathered, read from storage for 销号 (never posted).
	visit lifecycle.Visit
}

func (f stepForm) step() lifecycle.Step {
	return lifecycle.Step{To: f.Status, LeadUnit: f.LeadUnit, Responsible: f.Responsible, Post: f.Post,
		PublishName: f.PublishName, Measures: f.Measures,
		Ledger: f.Ledger, Deadline: strings.TrimSpace(f.Deadline), Kind: f.Kind, Explanation: f.Explanation,
		Report: f.Report, Note: f.Note, Reason: f.Reason, MergeInto: strings.ToUpper(strings.TrimSpace(f.MergeInto)),
		Visit: f.visit}
}

// Validate returns what is missing or wrong for moving an opinion in status from, by field.
func (f stepForm) Validate(from, today string, units []storage.Unit) locale.Fields {
	errs := f.step().Problems(from, today)
	if f.Status == lifecycle.Assigned && errs["lead_unit"].Key == "" && !unitListed(units, f.LeadUnit) {
		errs["lead_unit"] = locale.M("step.lead_unit_unlisted")
	}
	if f.Status == lifecycle.Assigned && utf8.RuneCountInString(strings.TrimSpace(f.Post)) > storage.MaxPost {
		errs["post"] = locale.M("notice.post_too_long", storage.MaxPost)
	}
	return errs
}

// stepFields writes a step's problems in p's language. Unlike p.Fields it also writes the
// arguments that are terms (a refused move names its two statuses, lifecycle.Status) in p's
// language, rather than as their Go values.
func stepFields(p *locale.Printer, f locale.Fields) map[string]string {
	out := make(map[string]string, len(f))
	for field, m := range f {
		args := make([]any, len(m.Args))
		for i, a := range m.Args {
			if term, ok := a.(labelled); ok {
				a = term.In(p)
			}
			args[i] = a
		}
		out[field] = p.T(m.Key, args...)
	}
	return out
}

// setOpinionStatus handles POST /admin/opinions/{id}/status: one step along the lifecycle,
// with what that step needs. A refused step shows its form again with the reviewer's text.
func (s *Server) setOpinionStatus(c echo.Context) error {
	var f stepForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	s.resolveDeadline(&f)
	ctx := c.Request().Context()
	o, err := s.store.Opinion(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	p := s.printer(c)
	retry := func(problems locale.Fields) error {
		errs := stepFields(p, problems)
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Step: f,
			StepErrors: map[string]map[string]string{f.Status: errs}, Errors: map[string]string{"status": errs["status"]},
			Message: p.T("step.incomplete")})
	}
	v := viewer(c)
	if lifecycle.CanMove(o.Status, f.Status) && !v.CanMove(o.Status, f.Status) {
		return echo.ErrForbidden
	}
	if f.Status == lifecycle.Closed && o.Status == lifecycle.Satisfaction {
		// After a 不满意, 销号 waits for an answer in the new round: say so by the form.
		if f.visit, err = s.store.Visit(ctx, o.ID); err != nil {
			return err
		}
	}
	errs := f.Validate(o.Status, s.store.Today(), units)
	if f.Status == lifecycle.Duplicate && errs["merge_into"].Key == "" {
		// The opinion it is merged into must be one this person may see, and so must the
		// carrier of the problem it is in, which the work moves onto.
		if !s.mayOpenWithCarrier(ctx, v, f.step().MergeInto) {
			errs["merge_into"] = locale.M("step.merge_refused")
		}
	}
	if len(errs) > 0 {
		return retry(errs)
	}
	u, _ := staffUser(c)
	err = s.store.Transition(ctx, u.ID, o.ID, f.step())
	switch {
	case errors.Is(err, storage.ErrConflict):
		return retry(locale.Fields{"status": locale.M("step.conflict")})
	case errors.Is(err, storage.ErrInvalid) && f.Status == lifecycle.Closed: // answered… and then not, meanwhile
		return retry(locale.Fields{"status": lifecycle.VisitWaiting})
	case errors.Is(err, storage.ErrInvalid) && f.Status == lifecycle.Duplicate:
		// 重复 joins the typed opinion's problem (问题): say why a grouping was refused.
		if m, ok := refusalMessage(err); ok {
			return retry(locale.Fields{"merge_into": m})
		}
		return retry(locale.Fields{"merge_into": locale.M("step.merge_refused")})
	case err != nil:
		return err
	}
	return backToItem(c)
}

// classifyOpinion handles POST /admin/opinions/{id}/classify: the level of the problem and
// whether it concerns the unit's own leadership (then the unit's liaison never sees it).
func (s *Server) classifyOpinion(c echo.Context) error {
	level := c.FormValue("level")
	if level != "" && !lifecycle.ValidTerm(lifecycle.Levels, level) {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Errors: map[string]string{
			"level": s.printer(c).T("item.only_levels")}})
	}
	u, _ := staffUser(c)
	if err := s.store.Classify(c.Request().Context(), u.ID, c.Param("id"), level, c.FormValue("about_leadership") != ""); err != nil {
		return err
	}
	return backToItem(c)
}
