package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
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

// Validate returns a Chinese message per wrong field.
func (f evaluationForm) Validate() map[string]string {
	errs := map[string]string{}
	if !lifecycle.ValidTerm(storage.EvaluationOveralls, f.Overall) {
		errs["overall"] = "请选择一项总体评价：好、较好、一般或差。"
	}
	for _, p := range f.Problems {
		if !sifeng.ValidManifestation(p) {
			errs["problems"] = "有一项问题不在列表中，请重新勾选。"
		}
	}
	for style, text := range f.Others {
		if msg := checkText(text, 0, storage.MaxEvaluationOther); msg != "" {
			errs[otherField(style)] = "其他问题" + msg
		}
	}
	if msg := checkText(f.Suggestions, 0, storage.MaxEvaluationText); msg != "" {
		errs["suggestions"] = "意见建议" + msg
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
	if errs := f.Validate(); len(errs) > 0 {
		return s.renderPingyiForm(c, http.StatusUnprocessableEntity, ev, f, errs, "请按红字提示修改后再提交。您勾选和填写的都还在。")
	}
	err = s.store.AnswerEvaluation(c.Request().Context(), s.receipts.Hash(mustParse(f.Code)), f.answer())
	switch {
	case errors.Is(err, storage.ErrCodeUsed):
		return s.renderPingyiCode(c, http.StatusConflict, f.Code, codeUsedMessage)
	case errors.Is(err, storage.ErrEvaluationClosed):
		return s.renderPingyiCode(c, http.StatusGone, f.Code, s.closedMessage(ev))
	case errors.Is(err, storage.ErrNotFound):
		return s.renderPingyiCode(c, http.StatusUnprocessableEntity, f.Code, "")
	case errors.Is(err, storage.ErrInvalid):
		return s.renderPingyiForm(c, http.StatusUnprocessableEntity, ev, f, nil, "请核对后再提交一次。您勾选和填写的都还在。")
	case err != nil: // busy or broken: the form comes back with everything (refusals.go)
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/pingyi/done")
}

// showPingyiDone handles GET /pingyi/done: thanks, and nothing to keep.
func (s *Server) showPingyiDone(c echo.Context) error {
	return s.render(c, http.StatusOK, "pingyi_done", nil)
}

const codeUsedMessage = "这个评议码已经用过了，每个评议码只能提交一次。如果不是您本人提交的，请向会务工作人员说明。"

// closedMessage says whether an evaluation that is not open has yet to start or is over.
func (s *Server) closedMessage(ev storage.Evaluation) string {
	if !ev.Closed && s.store.Today() < ev.OpensOn {
		return "这次评议从 " + ev.OpensOn + " 开始，请到时再来填写。"
	}
	return "这次评议已经结束，不再接收填写。谢谢您的关心。"
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
	normalised, err := receipt.Parse(code)
	if err != nil {
		return storage.Evaluation{}, false, s.renderPingyiCode(c, http.StatusUnprocessableEntity, code, "")
	}
	ev, err := s.store.EvaluationByCode(c.Request().Context(), s.receipts.Hash(normalised))
	switch {
	case errors.Is(err, storage.ErrCodeUsed):
		return ev, false, s.renderPingyiCode(c, http.StatusConflict, code, codeUsedMessage)
	case errors.Is(err, storage.ErrEvaluationClosed):
		return ev, false, s.renderPingyiCode(c, http.StatusGone, code, s.closedMessage(ev))
	case errors.Is(err, storage.ErrNotFound):
		if !s.countMiss() {
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
		page.Errors = map[string]string{"code": "没有找到这个评议码。评议码是纸条上的 20 位字母和数字，请逐位核对后再输入。"}
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
