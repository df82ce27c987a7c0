package handlers

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// serveCaptcha handles GET /captcha/{id}.png and GET /captcha/{id}.wav.
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
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}
