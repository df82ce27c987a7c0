package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
)

// The submitter's side of the conversation (#13), on /track. The receipt code is the only key:
// it is posted with every form (a hidden field of the page the code opened), never put in a URL,
// and checked by its hash like every /track form, misses drawing on the shared budget
// (refusals.go). No captcha is asked: without a code nothing can be written, a code is a secret
// of 100 random bits, and what one code's holder can write in a day is bounded
// (storage.MaxSubmitterMessagesPerDay). Nothing about the request (address, browser, time) is
// kept: storage writes the day alone.

// talkForm is what the submitter posts from /track: an answer to a question, or an addition.
type talkForm struct {
	Code    string `form:"code"`
	Kind    string `form:"kind"`    // storage.MessageAnswer or storage.MessageAddition
	Answers string `form:"answers"` // the question answered
	Words   string `form:"words"`
}

// normalise trims what was typed and bounds what is shown back.
func (f *talkForm) normalise() {
	f.Code = truncate(f.Code, maxCodeInput)
	f.Words = strings.TrimSpace(f.Words)
	f.Answers = truncate(f.Answers, 40)
}

// Validate returns a message per wrong field.
func (f talkForm) Validate() locale.Fields {
	errs := locale.Fields{}
	switch {
	case f.Kind == storage.MessageAnswer && f.Answers != "":
	case f.Kind == storage.MessageAddition && f.Answers == "":
	default:
		errs["words"] = locale.M("conversation.kind_unknown")
		return errs
	}
	if f.Words == "" {
		errs["words"] = locale.M("conversation.words_empty")
	} else if m := textProblem(f.Words, 1, storage.MaxMessageLength); m.Key != "" {
		errs["words"] = m
	}
	return errs
}

// fillTrackThread reads the conversation of o (the submitter's own opinion) for /track; it is
// open while the work (carrier's) is not struck off.
func (s *Server) fillTrackThread(c echo.Context, page *trackPage, o, carrier storage.Opinion) error {
	msgs, err := s.store.Thread(c.Request().Context(), o.ID)
	if err != nil {
		return err
	}
	page.ThreadOpen = storage.ThreadOpen(carrier.Status)
	own := func(words string) string { return words } // the holder of the code reads their own words
	page.Thread = threadViews(s.printer(c), own, msgs, false, page.ThreadOpen)
	return nil
}

// postSubmitterMessage handles POST /track/message: the submitter answers a question or adds
// information to their opinion, until 销号. On success it goes back to /track (303), which asks
// for the code again: the code is never put in the address the browser is sent to.
func (s *Server) postSubmitterMessage(c echo.Context) error {
	var f talkForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.normalise()
	o, code, ok, err := s.findByCodeKeeping(c, f.Words)
	if !ok || err != nil {
		return err
	}
	p := s.printer(c)
	up := uploadsOf(c) // photos with the message (attachments.go)
	errs := f.Validate()
	if m := up.problem(); m.Key != "" {
		errs[uploadField] = m
	}
	var files []storage.NewAttachment
	if len(errs) == 0 { // cleaned once the words are right, before the write
		var m locale.Message
		if files, m = up.clean(); m.Key != "" {
			errs[uploadField] = m
		}
	}
	if len(errs) > 0 {
		if f.Kind != storage.MessageAnswer || f.Answers == "" {
			f.Kind, f.Answers = storage.MessageAddition, "" // shown in the addition form
		}
		return s.renderTracked(c, http.StatusUnprocessableEntity, o, code,
			trackPage{Talk: f, TalkErrors: p.Fields(errs), FilesDropped: up.dropped()})
	}
	err = s.store.PostSubmitterMessageFiles(c.Request().Context(), o.ID, f.Kind, f.Answers, f.Words, files)
	var refusal string
	status := http.StatusConflict
	switch {
	case errors.Is(err, storage.ErrThreadClosed):
		refusal = "conversation.closed_public"
	case errors.Is(err, storage.ErrThreadFull):
		refusal = "conversation.full"
		status = http.StatusTooManyRequests
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, storage.ErrInvalid):
		// A question that is not this opinion's: the words go to the addition form.
		refusal, status = "conversation.kind_unknown", http.StatusUnprocessableEntity
		f.Kind, f.Answers = storage.MessageAddition, ""
	case err != nil:
		return err
	}
	if refusal != "" {
		return s.renderTracked(c, status, o, code, trackPage{Talk: f, FilesDropped: up.dropped(),
			TalkErrors: p.Fields(locale.Fields{"words": locale.M(refusal)})})
	}
	return s.seeOther(c, "/track?sent=1")
}

// talkFormBack shows the opinion again with what was written, after a refusal that came before
// the words were taken (refusals.go); for a code that finds nothing, /track with the code.
func (s *Server) talkFormBack(c echo.Context, status int, msg string) error {
	var f talkForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.normalise()
	o, code, ok := s.opinionOfCode(c, f.Code)
	if !ok {
		return s.render(c, status, "track", trackPage{Code: f.Code, Message: msg, Kept: f.Words})
	}
	return s.renderTracked(c, status, o, code, trackPage{Message: msg, Talk: f, FilesDropped: uploadsOf(c).dropped()})
}
