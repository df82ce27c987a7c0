package handlers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/storage"
)

// Refusals on public forms. Whatever says no before a person's words are taken — an expired
// page (403, the CSRF check), a body over the limit (413), too many wrong codes (429), a busy or
// failing database (503, 500) — the person gets their form back with everything they typed and
// chose, and one plain sentence saying what happened and what to do. Handlers and middleware
// only return the error; the error handler asks giveFormBack, which rebuilds the route's form
// from the request. One table below says, per form, how to show it and how to name what was
// not done; one function words every kind of refusal.

// publicForm is one public form as giveFormBack knows it. Its words are catalog keys, which
// fill the one message of each kind of refusal (refusalMessage).
type publicForm struct {
	notDone string // what did not happen: 您的意见还没有保存
	kept    string // what is still there: 您写的内容都还在
	again   string // the button to press again: 提交, 查询 (the button's own key)
	crowd   string // what too many people are doing at once (429): 查询
	// show renders the form again from the request, with status and msg.
	show func(s *Server, c echo.Context, status int, msg string) error
}

// publicForms are the public forms by route. giveFormBack serves exactly these; keepOversize
// reads their bodies past the usual limit so that a too-long text comes back too.
var publicForms = map[string]publicForm{
	"/submit":                         {"refusal.opinion_not_saved", "refusal.opinion_kept", "submit.send", "refusal.crowd_writing", (*Server).submitFormBack},
	"/kiosk/:site":                    {"refusal.opinion_not_saved", "refusal.opinion_kept", "submit.send", "refusal.crowd_writing", (*Server).kioskFormBack},
	"/track":                          {"refusal.track_not_done", "refusal.track_kept", "track.look_up", "refusal.crowd_looking", (*Server).trackFormBack},
	"/track/rate":                     {"refusal.rating_not_saved", "refusal.rating_kept", "track.rate_send", "refusal.crowd_looking", (*Server).rateFormBack},
	"/track/message":                  {"conversation.refusal_not_saved", "conversation.refusal_kept", "conversation.send_public", "refusal.crowd_looking", (*Server).talkFormBack},
	"/survey/:id":                     {"refusal.survey_not_saved", "refusal.survey_kept", "refusal.survey_send", "refusal.crowd_filling", (*Server).surveyFormBack},
	"/pingyi":                         {"refusal.pingyi_not_open", "refusal.pingyi_code_kept", "refusal.pingyi_start", "refusal.crowd_filling", (*Server).pingyiCodeBack},
	"/yijian/:id":                     {"refusal.opinion_not_saved", "refusal.opinion_kept", "submit.send", "refusal.crowd_writing", (*Server).planCommentFormBack},
	"/admin/plans/:id/comment":        {"refusal.opinion_not_saved", "refusal.opinion_kept", "submit.send", "refusal.crowd_writing", (*Server).planCommentFormBack},
	"/yijian/baogao/:id":              {"refusal.opinion_not_saved", "refusal.opinion_kept", "submit.send", "refusal.crowd_writing", (*Server).reportCommentFormBack},
	"/admin/reports/consultation/:id": {"refusal.opinion_not_saved", "refusal.opinion_kept", "submit.send", "refusal.crowd_writing", (*Server).reportCommentFormBack},
	"/pingyi/answer":                  {"refusal.pingyi_not_saved", "refusal.pingyi_kept", "refusal.pingyi_send", "refusal.crowd_filling", (*Server).pingyiFormBack},
}

// refusalMessage says, in p's language and the words of form f, why it was not taken and what
// to do now: one message per kind of refusal, the form's words in its placeholders.
func (f publicForm) refusalMessage(p *locale.Printer, status int) string {
	words := locale.Args{"not_done": p.T(f.notDone), "kept": p.T(f.kept), "again": p.T(f.again), "crowd": p.T(f.crowd)}
	switch status {
	case http.StatusForbidden:
		return p.T("refusal.expired", words)
	case http.StatusRequestEntityTooLarge:
		return p.T("refusal.too_long", words)
	case http.StatusTooManyRequests:
		return p.T("refusal.too_many", words)
	case http.StatusServiceUnavailable:
		return p.T("refusal.busy", words)
	}
	return p.T("refusal.failed", words)
}

// giveFormBack answers a refused POST to a public form with the form and the person's input.
// It reports false when it cannot (another route or status, or the form itself cannot be
// rebuilt), and the error handler shows its plain page instead.
func (s *Server) giveFormBack(c echo.Context, status int, err error) bool {
	f, ok := publicForms[c.Path()]
	refusal := status == http.StatusForbidden || status == http.StatusRequestEntityTooLarge ||
		status == http.StatusTooManyRequests || status >= http.StatusInternalServerError
	if !ok || !refusal || c.Request().Method != http.MethodPost || errors.Is(err, errBodyDropped) {
		return false
	}
	if rerr := f.show(s, c, status, f.refusalMessage(s.printer(c), status)); rerr != nil {
		if status >= http.StatusInternalServerError || !errors.Is(rerr, storage.ErrNotFound) {
			s.logFor(c).Error("give the form back", "route", c.Path(), "status", status, "err", rerr)
		}
		return false
	}
	return true
}

// The body limits: 64 KB holds every field of every form (5,000 Chinese characters are 45 KB
// once form-encoded). A public form's body up to keptBodyLimit is still read, so that a text
// pasted too long comes back to be shortened (413); a larger one was never typed by a person
// and is dropped unread.
const (
	bodyLimitBytes = 64 << 10
	keptBodyLimit  = 256 << 10
)

// errBodyDropped refuses a body too large even to give back.
var errBodyDropped = echo.NewHTTPError(http.StatusRequestEntityTooLarge, "body dropped")

// isPublicForm reports whether the request posts to one of publicForms.
func isPublicForm(c echo.Context) bool {
	_, ok := publicForms[c.Path()]
	return ok && c.Request().Method == http.MethodPost
}

// keepOversizeForms reads a public form's body, up to keptBodyLimit, before anything parses it;
// over bodyLimitBytes it is refused with 413 and giveFormBack shows it again. A file upload is
// limited by limitUpload instead (attachments.go). Other requests are limited by Echo's
// BodyLimit, which skips these.
func keepOversizeForms(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if isFileUpload(c) && r.Body != nil {
			if err := limitUpload(c); err != nil {
				return err
			}
			return next(c)
		}
		if !isPublicForm(c) || r.Body == nil || r.Body == http.NoBody {
			return next(c)
		}
		if r.ContentLength > keptBodyLimit {
			return errBodyDropped
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, keptBodyLimit+1))
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		if len(body) > keptBodyLimit {
			return errBodyDropped
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if len(body) > bodyLimitBytes {
			return echo.ErrStatusRequestEntityTooLarge
		}
		return next(c)
	}
}

// Receipt and evaluation codes carry 100 random bits: no rate of guessing finds one, so a code
// that exists is never refused, however busy a flood keeps the portal. Only misses (a well-formed
// code that matches nothing) draw on one budget shared by everyone — a per-client budget would
// need to know who the client is: missBurst at once, refilled at missRate a second. With the
// budget spent, a miss is answered 429 with Retry-After, which slows a script that listens; the
// person with a real code still gets their page at once.
//
// The budget is kept in the database (storage.TakeBudget), so every portal process serving it
// draws on the same one: two processes do not double it. The row holds a count alone; the
// process holding the "budgets" lease puts missRate tokens back every MissRefillEvery
// (RefillMisses, run by cmd/minsheng). A process that finds it empty says so without writing.
const (
	missRate   = 5
	missBurst  = 30
	missBudget = "receipt-misses"
)

// MissRefillEvery is how often RefillMisses is to run.
const MissRefillEvery = time.Second

// RefillMisses puts a second's worth of tokens back into the shared budget of misses; the one
// process holding its lease calls it every MissRefillEvery.
func RefillMisses(ctx context.Context, st *storage.Store) error {
	return st.RefillBudget(ctx, missBudget, missRate, missBurst)
}

// MissesShort reports whether the budget of misses lacks tokens (one read): only then does
// the refill need its lease and a write.
func MissesShort(ctx context.Context, st *storage.Store) (bool, error) {
	return st.BudgetShort(ctx, missBudget, missBurst)
}

// errTooManyMisses refuses a miss while the budget is spent.
var errTooManyMisses = echo.NewHTTPError(http.StatusTooManyRequests)

// countMiss draws a miss on the budget all processes share; false when it is spent. A database
// that cannot be asked lets the miss through (it is answered "not found", which costs no more).
func (s *Server) countMiss(c echo.Context) bool {
	ok, err := s.store.TakeBudget(c.Request().Context(), missBudget, missBurst)
	return ok || err != nil
}

// submitFormBack shows /submit again.
func (s *Server) submitFormBack(c echo.Context, status int, msg string) error {
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.normalise()
	f.questions = s.questionsBack(c, f) // the campaign's answers come back too
	return s.renderSubmit(c, status, f, nil, msg)
}

// kioskFormBack shows a kiosk's form again. With the database down the site cannot be read,
// and the form still comes back, on the kiosk's address.
func (s *Server) kioskFormBack(c echo.Context, status int, msg string) error {
	var f submitForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.normalise()
	f.Site, f.Mailbox = "", ""
	site, err := s.store.ActiveSite(c.Request().Context(), c.Param("site"))
	if errors.Is(err, storage.ErrNotFound) {
		return err
	} else if err != nil {
		site = storage.Site{Code: c.Param("site")}
	}
	return s.renderKiosk(c, status, site, f, nil, msg)
}

// trackFormBack shows /track again with the typed code.
func (s *Server) trackFormBack(c echo.Context, status int, msg string) error {
	return s.render(c, status, "track", trackPage{Code: truncate(c.FormValue("code"), maxCodeInput), Message: msg})
}

// rateFormBack shows the opinion with its rating form, what was chosen and written; for a code
// that finds nothing (a miss, counted as one) it is /track with the code.
func (s *Server) rateFormBack(c echo.Context, status int, msg string) error {
	code := truncate(c.FormValue("code"), maxCodeInput)
	if n, err := receipt.Parse(code); err == nil {
		o, err := s.store.OpinionByReceipt(c.Request().Context(), s.receipts.Hash(n))
		if err == nil {
			return s.renderTracked(c, status, o, code, trackPage{Message: msg,
				Words: strings.TrimSpace(c.FormValue("words")), Chosen: c.FormValue("rating")})
		}
		if errors.Is(err, storage.ErrNotFound) {
			s.countMiss(c)
		}
	}
	return s.trackFormBack(c, status, msg)
}

// surveyFormBack shows a survey again with every answer.
func (s *Server) surveyFormBack(c echo.Context, status int, msg string) error {
	sv, err := s.surveyByParam(c)
	if err != nil {
		return err
	}
	var f surveyForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.readAnswers(c, sv)
	return s.renderSurvey(c, status, sv, f, nil, msg)
}

// pingyiCodeBack shows /pingyi's code step again with the typed code.
func (s *Server) pingyiCodeBack(c echo.Context, status int, msg string) error {
	return s.renderPingyiCode(c, status, truncate(strings.TrimSpace(c.FormValue("code")), maxCodeInput), msg)
}

// pingyiFormBack shows the evaluation form again with every tick and text; for a code that
// opens no evaluation now, the code step (a miss is counted as one).
func (s *Server) pingyiFormBack(c echo.Context, status int, msg string) error {
	var f evaluationForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.readOthers(c)
	if n, err := receipt.Parse(f.Code); err == nil {
		ev, err := s.store.EvaluationByCode(c.Request().Context(), s.receipts.Hash(n))
		if err == nil {
			return s.renderPingyiForm(c, status, ev, f, nil, msg)
		}
		if errors.Is(err, storage.ErrNotFound) {
			s.countMiss(c)
		}
	}
	return s.renderPingyiCode(c, status, f.Code, msg)
}
