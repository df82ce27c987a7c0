package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// stepForm is one move along the lifecycle, as the item page posts it. Only the fields of the
// target status are read.
type stepForm struct {
	Status      string `form:"status"`
	LeadUnit    string `form:"lead_unit"`
	Responsible string `form:"responsible"`
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
	return lifecycle.Step{To: f.Status, LeadUnit: f.LeadUnit, Responsible: f.Responsible, Measures: f.Measures,
		Ledger: f.Ledger, Deadline: strings.TrimSpace(f.Deadline), Kind: f.Kind, Explanation: f.Explanation,
		Report: f.Report, Note: f.Note, Reason: f.Reason, MergeInto: strings.ToUpper(strings.TrimSpace(f.MergeInto)),
		Visit: f.visit}
}

// Validate returns what is missing or wrong for moving an opinion in status from, by field.
func (f stepForm) Validate(from, today string, units []storage.Unit) map[string]string {
	errs := f.step().Problems(from, today)
	if f.Status == lifecycle.Assigned && errs["lead_unit"] == "" && !unitListed(units, f.LeadUnit) {
		errs["lead_unit"] = "请从列表中选择牵头单位。"
	}
	return errs
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
	retry := func(errs map[string]string) error {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Step: f,
			StepErrors: map[string]map[string]string{f.Status: errs}, Errors: map[string]string{"status": errs["status"]},
			Message: "这一步还缺少内容，请按红字提示补充。"})
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
	if f.Status == lifecycle.Duplicate && errs["merge_into"] == "" {
		// The opinion it is merged into must be one this person may see.
		if target, err := s.store.Opinion(ctx, f.step().MergeInto); err == nil && !s.canSee(ctx, v, target) {
			errs["merge_into"] = "不能合并到这条意见：它不存在、就是本条、本身已是重复件，或本条已有其他意见合并进来。"
		}
	}
	if len(errs) > 0 {
		return retry(errs)
	}
	u, _ := staffUser(c)
	err = s.store.Transition(ctx, u.ID, o.ID, f.step())
	switch {
	case errors.Is(err, storage.ErrConflict):
		return retry(map[string]string{"status": "状态已被他人改动，请刷新后再试。"})
	case errors.Is(err, storage.ErrInvalid) && f.Status == lifecycle.Closed: // answered… and then not, meanwhile
		return retry(map[string]string{"status": lifecycle.VisitWaiting})
	case errors.Is(err, storage.ErrInvalid) && f.Status == lifecycle.Duplicate:
		return retry(map[string]string{"merge_into": "不能合并到这条意见：它不存在、就是本条、本身已是重复件，或本条已有其他意见合并进来。"})
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
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Errors: map[string]string{"level": "请从列表中选择问题层次。"}})
	}
	u, _ := staffUser(c)
	if err := s.store.Classify(c.Request().Context(), u.ID, c.Param("id"), level, c.FormValue("about_leadership") != ""); err != nil {
		return err
	}
	return backToItem(c)
}
