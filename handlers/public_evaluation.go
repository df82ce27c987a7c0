package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/sifeng"
	"minsheng/storage"
)

// evaluationForm is one attendee's democratic evaluation form (民主评议表). The one-time code
// travels only in the POST body, never in a URL. Bind fills the fixed fields; readOthers the
// "other problems" under each style, whose fields are named other_<style>.
type evaluationForm struct {
	Code        string   `form:"code"`
	Overall     string   `form:"overall"`
	Problems    []string `form:"problems"`
	Suggestions string   `form:"suggestions"`
	Others      map[string]string
}

func otherField(style string) string { return "other_" + style }

// readOthers takes the "other problems" of each style from the request and trims the text.
func (f *evaluationForm) readOthers(c echo.Context) {
	f.Others = map[string]string{}
	for _, st := range sifeng.Styles {
		if v := strings.TrimSpace(c.FormValue(otherField(st.Code))); v != "" {
			f.Others[st.Code] = v
		}
	}
	f.Code = truncate(strings.TrimSpace(f.Code), maxCodeInput)
	f.Overall = strings.TrimSpace(f.Overall)
	f.Suggestions = strings.TrimSpace(strings.ReplaceAll(f.Suggestions, "\r\n", "\n"))
}

// Ticked reports whether the manifestation with code is ticked (for the template).
func (f evaluationForm) Ticked(code string) bool {
	for _, p := range f.Problems {
		if p == code {
			return true
		}
	}
	return false
}

// Validate returns a problem per wrong field, as catalog messages.
func (f evaluationForm) Validate() locale.Fields {
	errs := locale.Fields{}
	if !lifecycle.ValidTerm(storage.EvaluationOveralls, f.Overall) {
		errs["overall"] = locale.M("pingyi.overall_missing")
	}
	for _, p := range f.Problems {
		if !sifeng.ValidManifestation(p) {
			errs["problems"] = locale.M("pingyi.problem_unknown")
		}
	}
	for style, text := range f.Others {
		if m := (fieldText{"pingyi.other_bad_characters", "pingyi.other_too_long"}).problem(text, storage.MaxEvaluationOther); m.Key != "" {
			errs[otherField(style)] = m
		}
	}
	if m := (fieldText{"pingyi.suggestions_bad_characters", "pingyi.suggestions_too_long"}).problem(f.Suggestions, storage.MaxEvaluationText); m.Key != "" {
		errs["suggestions"] = m
	}
	return errs
}

func (f evaluationForm) answer() storage.EvaluationAnswer {
	return storage.EvaluationAnswer{Overall: f.Overall, Problems: f.Problems, Others: f.Others, Suggestions: f.Suggestions}
}

// styleBox is one style's fieldset on the form: its manifestations as checkboxes.
type styleBox struct {
	Style             sifeng.Style
	Items             []sifeng.Manifestation
	OtherField, Other string
	OtherError        string
}

// pingyiPage is the data of templates/pages/pingyi.html: the code step while Evaluation is nil,
// then the form.
type pingyiPage struct {
	Code       string
	Evaluation *storage.Evaluation
	Form       evaluationForm
	Overalls   []lifecycle.Term
	Styles     []styleBox
	Errors     map[string]string
	Message    string
}

// showPingyi handles GET /pingyi: where an attendee types the code from their slip.
func (s *Server) showPingyi(c echo.Context) error {
	return s.render(c, http.StatusOK, "pingyi", pingyiPage{})
}

// startPingyi handles POST /pingyi: a valid, unused code of an open evaluation opens its form.
func (s *Server) startPingyi(c echo.Context) error {
	code := truncate(strings.TrimSpace(c.FormValue("code")), maxCodeInput)
	ev, ok, err := s.evaluationOfCode(c, code)
	if !ok || err != nil {
		return err
	}
	return s.renderPingyiForm(c, http.StatusOK, ev, evaluationForm{Code: code}, nil, "")
}

// answerPingyi handles POST /pingyi/answer: the form checked, then the code used and the answer
// stored in one transaction; 303 to the thanks page, which names nothing.
func (s *Server) answerPingyi(c echo.Context) error {
	var f evaluationForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.readOthers(c)
	ev, ok, err := s.evaluationOfCode(c, f.Code)
	if !ok || err != nil {
		return err
	}
	p := s.printer(c)
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderPingyiForm(c, http.StatusUnprocessableEntity, ev, f, p.Fields(errs), p.T("pingyi.fix_errors"))
	}
	err = s.store.AnswerEvaluation(c.Request().Context(), s.receipts.Hash(mustParse(f.Code)), f.answer())
	switch {
	case errors.Is(err, storage.ErrCodeUsed):
		return s.renderPingyiCode(c, http.StatusConflict, f.Code, p.T("pingyi.code_used"))
	case errors.Is(err, storage.ErrEvaluationClosed):
		return s.renderPingyiCode(c, http.StatusGone, f.Code, s.closedMessage(p, ev))
	case errors.Is(err, storage.ErrNotFound):
		return s.renderPingyiCode(c, http.StatusUnprocessableEntity, f.Code, "")
	case errors.Is(err, storage.ErrInvalid):
		return s.renderPingyiForm(c, http.StatusUnprocessableEntity, ev, f, nil, p.T("pingyi.check_again"))
	case err != nil: // busy or broken: the form comes back with everything (refusals.go)
		return err
	}
	return s.seeOther(c, "/pingyi/done")
}

// showPingyiDone handles GET /pingyi/done: thanks, and nothing to keep.
func (s *Server) showPingyiDone(c echo.Context) error {
	return s.render(c, http.StatusOK, "pingyi_done", nil)
}

// closedMessage says, in the words of p, whether an evaluation that is not open has yet to
// start or is over.
func (s *Server) closedMessage(p *locale.Printer, ev storage.Evaluation) string {
	if !ev.Closed && s.store.Today() < ev.OpensOn {
		return p.T("pingyi.not_yet_open", p.Day(ev.OpensOn))
	}
	// Its own dates hold but its campaign's collection window does not: say so plainly.
	if ev.Open(s.store.Today()) {
		if note, err := s.campaignClosedNote(context.Background(), p, ev.CampaignID); err == nil && note != "" {
			return note
		}
	}
	return p.T("pingyi.over")
}

// mustParse normalises a code already checked by evaluationOfCode.
func mustParse(code string) string {
	n, _ := receipt.Parse(code)
	return n
}

// evaluationOfCode finds the open evaluation of a typed code. When it cannot, it renders the
// code page with the reason and reports false. A code that exists is never refused; a miss
// draws on the shared budget, and past it is refused with 429 (refusals.go).
func (s *Server) evaluationOfCode(c echo.Context, code string) (storage.Evaluation, bool, error) {
	p := s.printer(c)
	normalised, err := receipt.Parse(code)
	if err != nil {
		return storage.Evaluation{}, false, s.renderPingyiCode(c, http.StatusUnprocessableEntity, code, "")
	}
	ev, err := s.store.EvaluationByCode(c.Request().Context(), s.receipts.Hash(normalised))
	switch {
	case errors.Is(err, storage.ErrCodeUsed):
		return ev, false, s.renderPingyiCode(c, http.StatusConflict, code, p.T("pingyi.code_used"))
	case errors.Is(err, storage.ErrEvaluationClosed):
		return ev, false, s.renderPingyiCode(c, http.StatusGone, code, s.closedMessage(p, ev))
	case errors.Is(err, storage.ErrNotFound):
		if !s.countMiss(c) {
			return ev, false, errTooManyMisses
		}
		return ev, false, s.renderPingyiCode(c, http.StatusUnprocessableEntity, code, "")
	}
	return ev, err == nil, err
}

// renderPingyiCode shows the code step again: with msg as the reason, or, when msg is empty,
// the kind word for a code that is mistyped or unknown.
func (s *Server) renderPingyiCode(c echo.Context, status int, code, msg string) error {
	page := pingyiPage{Code: code, Message: msg}
	if msg == "" {
		page.Errors = map[string]string{"code": s.printer(c).T("pingyi.code_unknown")}
	}
	return s.render(c, status, "pingyi", page)
}

// renderPingyiForm shows ev's form with what was ticked and written.
func (s *Server) renderPingyiForm(c echo.Context, status int, ev storage.Evaluation, f evaluationForm, errs map[string]string, msg string) error {
	page := pingyiPage{Code: f.Code, Evaluation: &ev, Form: f, Overalls: storage.EvaluationOveralls, Errors: errs, Message: msg}
	for _, st := range sifeng.Styles {
		page.Styles = append(page.Styles, styleBox{Style: st, Items: sifeng.ManifestationsOf(st.Code),
			OtherField: otherField(st.Code), Other: f.Others[st.Code], OtherError: errs[otherField(st.Code)]})
	}
	return s.render(c, status, "pingyi", page)
}
