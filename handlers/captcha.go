package handlers

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/captchastore"
	"minsheng/locale"
	"minsheng/storage"
)

// serveCaptcha handles GET /captcha/{id}.png and GET /captcha/{id}.wav: the image and the sound
// of one challenge, drawn from the same digits. The sound plays in place, in the form's <audio>
// element; http.ServeContent answers the byte ranges that Safari (and WeChat on an iPhone)
// insist on before playing. The security headers keep both out of every cache (no-store).
func (s *Server) serveCaptcha(c echo.Context) error {
	if s.captchas == nil {
		return echo.ErrNotFound
	}
	file := c.Param("file")
	var buf bytes.Buffer
	var ok bool
	var err error
	var contentType string
	switch {
	case strings.HasSuffix(file, ".png"):
		ok, err = s.captchas.WriteImage(&buf, strings.TrimSuffix(file, ".png"))
		contentType = "image/png"
	case strings.HasSuffix(file, ".wav"):
		// In the reader's language: /en/captcha/ID.wav speaks English digits, / Mandarin.
		ok, err = s.captchas.WriteAudioIn(&buf, strings.TrimSuffix(file, ".wav"), s.printer(c).Lang())
		contentType = "audio/wav"
	}
	if err != nil {
		return err
	}
	if !ok {
		return echo.ErrNotFound
	}
	c.Response().Header().Set(echo.HeaderContentType, contentType)
	// No modification time: a challenge has no date worth telling, and none to revalidate.
	http.ServeContent(c.Response(), c.Request(), file, time.Time{}, bytes.NewReader(buf.Bytes()))
	return nil
}

// newCaptchaAction is the value of the 换一张验证码 button (name="action"): a second submit
// button, so that a new challenge needs no script and keeps everything typed.
const newCaptchaAction = "newcaptcha"

// captchaRenewedNote is the note a form shows by its captcha after 换一张: a catalog key, which
// the "captcha" partial writes in the page's language.
const captchaRenewedNote = "captcha.renewed"

// captchaPass checks the captcha of a form that stores something (an opinion, a survey
// response), one guess each whichever process gets it. A right answer is not spent here but
// handed back as a Token for the write's own transaction (storage.NewOpinion.Token,
// storage.SurveyAnswer.Token), so that a submission is one write (#11); a wrong one is spent now
// and its message returned, for the form to show under "captcha" beside its other messages.
// Whatever does not store after all (another field's message, a file refused) must spend the
// pass with spendPass. With no captchas (-captcha=off) both are nil; an error is the database's
// (busy: the form comes back with 503).
func (s *Server) captchaPass(ctx context.Context, id, answer string) (*storage.Token, locale.Message, error) {
	if s.captchas == nil {
		return nil, locale.Message{}, nil
	}
	pass, err := s.captchas.Check(ctx, id, answer)
	switch {
	case err != nil:
		return nil, locale.Message{}, err
	case pass != nil:
		return &storage.Token{Hash: pass.Hash, Expires: pass.Expires}, locale.Message{}, nil
	case id != "" && strings.TrimSpace(answer) == "":
		return nil, locale.M("captcha.empty"), nil
	}
	return nil, locale.M("captcha.wrong"), nil
}

// spendPass spends a captcha answered right whose form stores nothing (it comes back with
// another message): a captcha takes one guess whatever the rest of the form says.
func (s *Server) spendPass(ctx context.Context, t *storage.Token) error {
	if t == nil {
		return nil
	}
	_, err := s.captchas.Spend(ctx, &captchastore.Pass{Hash: t.Hash, Expires: t.Expires})
	return err
}

// renewCaptcha spends the captcha a person asked to replace (换一张), so that it cannot be
// answered later; the form that comes back draws a fresh one.
func (s *Server) renewCaptcha(ctx context.Context, id string) error {
	if s.captchas == nil {
		return nil
	}
	return s.captchas.Discard(ctx, id)
}

// captchaView is what the "captcha" partial shows: the challenge, its error, a note after
// 换一张, whether the form offers 换一张 at all, and whether it is a lobby kiosk's.
type captchaView struct {
	ID, Error, Note string
	Renewable       bool
	Kiosk           bool
}
