package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// surveyForm is one person's answers to a satisfaction survey (满意度测评). Bind fills the fixed
// fields; readAnswers the items, whose fields are named q<item id>.
type surveyForm struct {
	Unit          string `form:"unit"`
	Dept          string `form:"dept"`
	FromLink      string `form:"from_link"` // "1": the unit came fixed from the poster's link
	Comment       string `form:"comment"`
	CaptchaID     string `form:"captcha_id"`
	CaptchaAnswer string `form:"captcha_answer"`
	Action        string `form:"action"` // newCaptchaAction when 换一张验证码 was pressed
	Answers       map[int64]string
}

// readAnswers takes the answer to each of sv's items from the request, and trims the text.
func (f *surveyForm) readAnswers(c echo.Context, sv storage.Survey) {
	f.Answers = map[int64]string{}
	for _, it := range sv.Items {
		if v := strings.TrimSpace(c.FormValue(itemField(it))); v != "" {
			f.Answers[it.ID] = v
		}
	}
	f.Unit, f.Dept = strings.TrimSpace(f.Unit), strings.TrimSpace(f.Dept)
	f.Comment = strings.TrimSpace(strings.ReplaceAll(f.Comment, "\r\n", "\n"))
}

func itemField(it storage.SurveyItem) string { return "q" + strconv.FormatInt(it.ID, 10) }

// Validate returns a problem per wrong field, as catalog messages: the unit, the department,
// every item left unanswered or answered off the scale, and the free text.
func (f surveyForm) Validate(sv storage.Survey) locale.Fields {
	errs := locale.Fields{}
	if !sv.Covers(f.Unit) {
		errs["unit"] = locale.M("survey.unit_missing")
	}
	if m := (fieldText{"survey.dept_bad_characters", "survey.dept_too_long"}).problem(f.Dept, storage.MaxSurveyDept); m.Key != "" {
		errs["dept"] = m
	}
	for _, it := range sv.Items {
		if _, ok := f.value(sv, it); !ok {
			errs[itemField(it)] = locale.M("survey.item_missing")
		}
	}
	if m := (fieldText{"survey.comment_bad_characters", "survey.comment_too_long"}).problem(f.Comment, storage.MaxSurveyComment); m.Key != "" {
		errs["comment"] = m
	}
	return errs
}

// value is the answer to it as a number on sv's scale.
func (f surveyForm) value(sv storage.Survey, it storage.SurveyItem) (int, bool) {
	v, err := strconv.Atoi(f.Answers[it.ID])
	return v, err == nil && v >= 1 && v <= sv.MaxValue()
}

// surveyOption is one radio button: its value and the catalog key of its words.
type surveyOption struct {
	Value, Key string
}

// The answer scales. The words are the interface's; the questions are the administrator's.
var (
	threeLevels = []surveyOption{{"3", "survey.scale_satisfied"}, {"2", "survey.scale_basically"}, {"1", "survey.scale_dissatisfied"}}
	fivePoints  = []surveyOption{{"5", "survey.scale_five_best"}, {"4", "survey.scale_five_4"}, {"3", "survey.scale_five_3"},
		{"2", "survey.scale_five_2"}, {"1", "survey.scale_five_worst"}}
)

// surveyOptions are the radio buttons of sv's scale, in the words of p.
func surveyOptions(p *locale.Printer, sv storage.Survey) []surveyChoice {
	scale := threeLevels
	if sv.Scale == storage.ScaleFive {
		scale = fivePoints
	}
	choices := make([]surveyChoice, len(scale))
	for i, o := range scale {
		choices[i] = surveyChoice{Value: o.Value, Label: p.T(o.Key)}
	}
	return choices
}

// surveyChoice is one radio button as the form shows it.
type surveyChoice struct {
	Value, Label string
}

// surveyItemView is one question as the form shows it, with what was chosen and its error.
type surveyItemView struct {
	Field, Text, Chosen, Error string
	Position                   int
}

// surveyPage is the data of templates/pages/survey.html. Closed, when set, replaces the form.
type surveyPage struct {
	Survey    storage.Survey
	Form      surveyForm
	Items     []surveyItemView
	Options   []surveyChoice
	Fixed     *storage.Unit // the unit, when the link fixed it
	Errors    map[string]string
	Message   string
	Closed    string
	CaptchaID string
	// CaptchaNote tells, by the captcha, that 换一张 gave a new one.
	CaptchaNote string
}

// surveyByParam loads the survey named by the path; a malformed id is a plain 404.
func (s *Server) surveyByParam(c echo.Context) (storage.Survey, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return storage.Survey{}, echo.ErrNotFound
	}
	return s.store.Survey(c.Request().Context(), id)
}

// showSurvey handles GET /survey/{id}?unit=CODE&dept=…: the questionnaire, the unit fixed by a
// poster's link when the survey covers it.
func (s *Server) showSurvey(c echo.Context) error {
	sv, err := s.surveyByParam(c)
	if err != nil {
		return err
	}
	f := surveyForm{Unit: c.QueryParam("unit"), Dept: c.QueryParam("dept")}
	if sv.Covers(f.Unit) {
		f.FromLink = "1"
	} else {
		f.Unit = ""
	}
	if utf8.RuneCountInString(f.Dept) > storage.MaxSurveyDept || !utf8.ValidString(f.Dept) {
		f.Dept = ""
	}
	return s.renderSurvey(c, http.StatusOK, sv, f, nil, "")
}

// answerSurvey handles POST /survey/{id}: 换一张 brings the form back with a fresh captcha;
// otherwise captcha and answers are checked together, then one response stored (dated, never
// timed); 303 to the thanks page.
func (s *Server) answerSurvey(c echo.Context) error {
	sv, err := s.surveyByParam(c)
	if err != nil {
		return err
	}
	var f surveyForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.readAnswers(c, sv)
	note, err := s.campaignClosedNote(c.Request().Context(), s.printer(c), sv.CampaignID)
	if err != nil {
		return err
	}
	if !sv.Open(s.store.Today()) || note != "" {
		return s.renderSurvey(c, http.StatusGone, sv, f, nil, "")
	}
	if f.Action == newCaptchaAction {
		if err := s.renewCaptcha(c.Request().Context(), f.CaptchaID); err != nil {
			return err
		}
		return s.renderSurvey(c, http.StatusOK, sv, f, nil, "")
	}
	p := s.printer(c)
	errs := p.Fields(f.Validate(sv))
	if errs == nil {
		errs = map[string]string{}
	}
	// A right answer is spent with the response, in its own transaction (one write per
	// submission, as the opinion form does); a wrong one is spent now.
	token, m, err := s.captchaPass(c.Request().Context(), f.CaptchaID, f.CaptchaAnswer)
	if err != nil {
		return err
	} else if m.Key != "" {
		errs["captcha"] = p.Msg(m)
	}
	if len(errs) > 0 {
		if err := s.spendPass(c.Request().Context(), token); err != nil {
			return err
		}
		return s.renderSurvey(c, http.StatusUnprocessableEntity, sv, f, errs, p.T("survey.fix_errors"))
	}
	a := storage.SurveyAnswer{SurveyID: sv.ID, UnitCode: f.Unit, Dept: f.Dept, Comment: f.Comment, Values: map[int64]int{},
		Token: token}
	for _, it := range sv.Items {
		a.Values[it.ID], _ = f.value(sv, it)
	}
	err = s.store.AnswerSurvey(c.Request().Context(), a)
	if errors.Is(err, storage.ErrSurveyClosed) || errors.Is(err, storage.ErrInvalid) {
		// Refused, its transaction rolled back with the captcha's spend: spent now, as any form
		// that comes back with a message spends it.
		if err := s.spendPass(c.Request().Context(), token); err != nil {
			return err
		}
	}
	switch {
	case errors.Is(err, storage.ErrTokenSpent): // the same answer sent twice, or replayed: as a wrong one
		return s.renderSurvey(c, http.StatusUnprocessableEntity, sv, f, map[string]string{"captcha": p.Msg(locale.M("captcha.wrong"))},
			p.T("survey.fix_errors"))
	case errors.Is(err, storage.ErrSurveyClosed):
		return s.renderSurvey(c, http.StatusGone, sv, f, nil, "")
	case errors.Is(err, storage.ErrInvalid): // the survey changed between reading and writing
		return s.renderSurvey(c, http.StatusUnprocessableEntity, sv, f, nil, p.T("survey.changed"))
	case err != nil: // busy or broken: the form comes back with every answer (refusals.go)
		return err
	}
	return s.seeOther(c, "/survey/"+strconv.FormatInt(sv.ID, 10)+"/done")
}

// showSurveyDone handles GET /survey/{id}/done: thanks, and nothing to keep.
func (s *Server) showSurveyDone(c echo.Context) error {
	sv, err := s.surveyByParam(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "survey_done", sv)
}

// renderSurvey shows the form with what was chosen and a fresh captcha, or, outside the
// survey's period, a kind word instead of the form.
func (s *Server) renderSurvey(c echo.Context, status int, sv storage.Survey, f surveyForm, errs map[string]string, msg string) error {
	p := s.printer(c)
	page := surveyPage{Survey: sv, Form: f, Errors: errs, Message: msg, Options: surveyOptions(p, sv)}
	today := s.store.Today()
	switch {
	case today < sv.StartsOn:
		page.Closed = p.T("survey.not_yet_open", p.Day(sv.StartsOn))
	case today > sv.EndsOn:
		page.Closed = p.T("survey.ended", p.Day(sv.EndsOn), p.T("nav.submit"))
	}
	if page.Closed == "" {
		note, err := s.campaignClosedNote(c.Request().Context(), p, sv.CampaignID)
		if err != nil {
			return err
		}
		page.Closed = note
	}
	if page.Closed != "" {
		return s.render(c, status, "survey", page)
	}
	if len(sv.Units) == 1 {
		page.Form.Unit, page.Form.FromLink = sv.Units[0].Code, "1"
	}
	for i, u := range sv.Units {
		if page.Form.FromLink == "1" && u.Code == page.Form.Unit {
			page.Fixed = &sv.Units[i]
		}
	}
	for _, it := range sv.Items {
		page.Items = append(page.Items, surveyItemView{Field: itemField(it), Text: it.Text, Position: it.Position,
			Chosen: f.Answers[it.ID], Error: errs[itemField(it)]})
	}
	page.Form.CaptchaAnswer = ""
	if s.captchas != nil {
		page.CaptchaID = s.captchas.New()
		if f.Action == newCaptchaAction {
			page.CaptchaNote = captchaRenewedNote
		}
	}
	return s.render(c, status, "survey", page)
}
