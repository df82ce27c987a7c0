package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/vocab"
)

// maxCodeInput is how much of a typed receipt code is kept for showing it back.
const maxCodeInput = 80

// maxRatingWords is the longest comment with a rating, in characters.
const maxRatingWords = 500

// trackPage is the data of templates/pages/track.html.
type trackPage struct {
	Code    string
	Errors  map[string]string
	Message string
	Opinion *storage.Opinion // the submitter's own opinion
	// Carrier is the opinion that carries the work: the same as Opinion, or the one it was
	// merged into. Its status, deadline and explanation are what the submitter follows.
	Carrier  *storage.Opinion
	Rect     storage.Rectification
	Deadline deadlineView
	Rating   storage.Rating
	CanRate  bool
	Ratings  []lifecycle.Term
	Words    string // what was typed with a refused rating
	Chosen   string // the rating chosen with it, ticked again
	Thanks   bool
	// Reply is the office's answer: the one written to this opinion, or else the carrier's.
	Reply, RepliedOn string
	// Together is how many other opinions are handled with this one in its problem (问题):
	// only the number, never whose or what they said.
	Together int
	// Rated says the rating already given, with its date (and, when the work was redone, that
	// it is asked again).
	Rated template.HTML
	// The conversation with the office (public_thread.go): its messages, whether it is still
	// open (not struck off), what was written in a refused post and the message beside it.
	Thread     []messageView
	ThreadOpen bool
	Talk       talkForm
	TalkErrors map[string]string
	// FilesDropped: photos were chosen with a refused message; they are not kept on the page.
	FilesDropped bool
	// Kept is what was written with a code that opened nothing, shown so that it is not lost.
	Kept string
	// Sent: back after a message was sent (303); the code is asked again, never carried.
	Sent bool
}

// showTrackForm handles GET /track. The code is never accepted in the URL.
func (s *Server) showTrackForm(c echo.Context) error {
	return s.render(c, http.StatusOK, "track", trackPage{Sent: c.QueryParam("sent") == "1"})
}

// findByCode reads the receipt code from the form and finds its opinion. When it cannot, it
// renders the form again with the reason and reports false. A code that is found is never
// refused; a miss draws on the shared budget, and past it is refused with 429 (refusals.go).
func (s *Server) findByCode(c echo.Context) (storage.Opinion, string, bool, error) {
	return s.findByCodeKeeping(c, "")
}

// findByCodeKeeping is findByCode for a form that carries words besides the code: a refused
// code shows them again (kept) under the code's field.
func (s *Server) findByCodeKeeping(c echo.Context, kept string) (storage.Opinion, string, bool, error) {
	p := s.printer(c)
	code := truncate(c.FormValue("code"), maxCodeInput)
	normalised, err := receipt.Parse(code)
	if err != nil {
		return storage.Opinion{}, code, false, s.render(c, http.StatusUnprocessableEntity, "track", trackPage{Code: code,
			Errors: p.Fields(locale.Fields{"code": locale.M("track.code_malformed")}), Kept: kept})
	}
	o, err := s.store.OpinionByReceipt(c.Request().Context(), s.receipts.Hash(normalised))
	if errors.Is(err, storage.ErrNotFound) {
		if !s.countMiss(c) {
			return o, code, false, errTooManyMisses
		}
		return o, code, false, s.render(c, http.StatusNotFound, "track", trackPage{Code: code,
			Errors: p.Fields(locale.Fields{"code": locale.M("track.code_unknown")}), Kept: kept})
	}
	return o, code, err == nil, err
}

// opinionOfCode finds the opinion of a typed code for a form given back after a refusal; a
// well-formed code that finds nothing counts as a miss. It reports false when none is found.
func (s *Server) opinionOfCode(c echo.Context, code string) (storage.Opinion, string, bool) {
	n, err := receipt.Parse(code)
	if err != nil {
		return storage.Opinion{}, code, false
	}
	o, err := s.store.OpinionByReceipt(c.Request().Context(), s.receipts.Hash(n))
	if errors.Is(err, storage.ErrNotFound) {
		s.countMiss(c)
	}
	return o, code, err == nil
}

// trackOpinion handles POST /track: the progress of the opinion a receipt code belongs to, in
// plain words, the office's reply, and the satisfaction question when the work is done.
func (s *Server) trackOpinion(c echo.Context) error {
	o, code, ok, err := s.findByCode(c)
	if !ok || err != nil {
		return err
	}
	return s.renderTracked(c, http.StatusOK, o, code, trackPage{})
}

// renderTracked shows opinion o to the holder of its receipt code.
func (s *Server) renderTracked(c echo.Context, status int, o storage.Opinion, code string, page trackPage) error {
	ctx := c.Request().Context()
	carrier := o
	if o.MergedInto != "" {
		var err error
		if carrier, err = s.store.Opinion(ctx, o.MergedInto); err != nil {
			return err
		}
	}
	rect, err := s.store.Rectification(ctx, carrier.ID)
	if err != nil {
		return err
	}
	rating, err := s.store.RatingOf(ctx, o.ID)
	if err != nil {
		return err
	}
	page.Opinion, page.Carrier, page.Rect, page.Rating, page.Code = &o, &carrier, rect, rating, code
	page.Deadline = s.deadline(carrier.Status, rect.Deadline)
	switch problem, err := s.store.ProblemOf(ctx, o.ID, nil); {
	case err == nil:
		page.Together = problem.Count - 1
	case !errors.Is(err, storage.ErrNotFound):
		return err
	}
	if err := s.fillTrackThread(c, &page, o, carrier); err != nil {
		return err
	}
	page.Reply, page.RepliedOn = o.Reply, o.RepliedOn
	if page.Reply == "" {
		page.Reply, page.RepliedOn = carrier.Reply, carrier.RepliedOn
	}
	// Each 满意度回访 round asks again: after a 不满意 and a rework, the earlier answer does not
	// stand for the new round.
	page.CanRate = carrier.Status == lifecycle.Satisfaction && !rating.Current
	page.Ratings = lifecycle.Ratings
	if rating.Rating != "" {
		p := s.printer(c)
		key := "track.rated"
		if page.CanRate {
			key = "track.rated_again"
		}
		page.Rated = htmlMessage(p, key, htmlPieces{
			"rating": "<strong>" + escaped(vocab.LabelIn(p, lifecycle.Ratings, rating.Rating)) + "</strong>",
			"date":   escaped(rating.RatedOn)})
	}
	return s.render(c, status, "track", page)
}

// rateOpinion handles POST /track/rate: the submitter says whether they are satisfied with
// the result (满意 / 基本满意 / 不满意). 不满意 sends the work back (补课返工).
func (s *Server) rateOpinion(c echo.Context) error {
	o, code, ok, err := s.findByCode(c)
	if !ok || err != nil {
		return err
	}
	rating, words := c.FormValue("rating"), strings.TrimSpace(c.FormValue("words"))
	var problem locale.Message
	switch {
	case !lifecycle.ValidTerm(lifecycle.Ratings, rating):
		problem = locale.M("track.choose_rating")
	case !utf8.ValidString(words) || strings.ContainsRune(words, 0):
		problem = locale.M("track.words_bad_characters")
	case utf8.RuneCountInString(words) > maxRatingWords:
		problem = locale.M("track.words_too_long", maxRatingWords)
	}
	p := s.printer(c)
	if problem.Key != "" {
		return s.renderTracked(c, http.StatusUnprocessableEntity, o, code,
			trackPage{Errors: p.Fields(locale.Fields{"rating": problem}), Words: words, Chosen: rating})
	}
	err = s.store.Rate(c.Request().Context(), o.ID, rating, words)
	if errors.Is(err, storage.ErrConflict) {
		return s.renderTracked(c, http.StatusConflict, o, code,
			trackPage{Message: p.T("track.no_rating_needed")})
	}
	if err != nil {
		return err
	}
	return s.renderTracked(c, http.StatusOK, o, code, trackPage{Thanks: true})
}
