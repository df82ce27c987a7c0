package handlers

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
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
		ok, err = s.captchas.WriteAudio(&buf, strings.TrimSuffix(file, ".wav"))
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

// What the captcha says beside its field: after 换一张, and when its answer does not pass.
const (
	captchaRenewedNote = "已换了一张新的验证码，您填写的内容都还在。"
	captchaEmpty       = "请输入验证码：图片上（或语音里）的 6 位数字。"
	captchaWrong       = "验证码不对或已过期。请看新的图片或听新的语音，再输入 6 位数字。"
)

// checkCaptcha spends the captcha (one guess each) and, unless the answer solves it, puts the
// reason under "captcha" in errs, beside the form's other messages: one round shows them all.
func (s *Server) checkCaptcha(errs map[string]string, id, answer string) {
	if s.captchas == nil || s.captchas.Verify(id, answer) {
		return
	}
	if id != "" && strings.TrimSpace(answer) == "" {
		errs["captcha"] = captchaEmpty
		return
	}
	errs["captcha"] = captchaWrong
}

// renewCaptcha spends the captcha a person asked to replace (换一张), so that it cannot be
// answered later; the form that comes back draws a fresh one.
func (s *Server) renewCaptcha(id string) {
	if s.captchas != nil {
		s.captchas.Discard(id)
	}
}

// captchaView is what the "captcha" partial shows: the challenge, its error, a note after
// 换一张, whether the form offers 换一张 at all, and whether it is a lobby kiosk's.
type captchaView struct {
	ID, Error, Note string
	Renewable       bool
	Kiosk           bool
}
