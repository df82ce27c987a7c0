package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mattn/go-sqlite3"

	"minsheng/storage"
)

// errorPage is the data of templates/pages/error.html.
type errorPage struct {
	Title   string
	Message string
}

// kioskErrorPage is the data of templates/pages/kiosk_error.html.
type kioskErrorPage struct {
	kioskFrame
	errorPage
}

// handleError is Echo's one error handler: it maps errors to a status and a kind Chinese page.
// Only server-side failures are logged, and never with request details.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, page := s.classify(err)
	if status >= 500 {
		s.logFor(c).Error("request failed", "route", c.Path(), "status", status, "err", err)
	}
	switch status {
	case http.StatusServiceUnavailable:
		c.Response().Header().Set("Retry-After", "30")
	case http.StatusTooManyRequests:
		c.Response().Header().Set("Retry-After", "60")
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if s.giveFormBack(c, status, err) {
		return
	}
	if strings.HasPrefix(c.Path(), "/kiosk/") {
		// On a lobby tablet the error keeps the kiosk's layout, with no way off the kiosk,
		// and clears itself after the idle time like the form.
		kioskHeaders(c)
		frame := kioskFrame{Home: kioskHome(c.Param("site")), IdleMS: s.kiosk.idle.Milliseconds()}
		if rerr := s.render(c, status, "kiosk_error", kioskErrorPage{kioskFrame: frame, errorPage: page}); rerr == nil {
			return
		}
	}
	if rerr := s.render(c, status, "error", page); rerr != nil {
		s.logFor(c).Error("render error page", "err", rerr)
		_ = c.String(status, page.Message)
	}
}

func (s *Server) classify(err error) (int, errorPage) {
	var he *echo.HTTPError
	switch {
	case errors.Is(err, errCSRF):
		return http.StatusForbidden, errorPage{"页面已过期", "为了安全，请返回上一页，刷新后再提交一次。"}
	case errors.Is(err, errMalformedBody):
		return http.StatusBadRequest, errorPage{"内容没能读懂",
			"浏览器发来的内容有乱码，系统没能读懂，所以什么也没有保存。请返回上一页，核对后再提交一次；还不行的话，请换一个浏览器试试。"}
	case errors.As(err, &he):
		return he.Code, pageForStatus(he.Code)
	case errors.Is(err, storage.ErrNotFound):
		return http.StatusNotFound, pageForStatus(http.StatusNotFound)
	case isOverload(err):
		return http.StatusServiceUnavailable, pageForStatus(http.StatusServiceUnavailable)
	default:
		return http.StatusInternalServerError, pageForStatus(http.StatusInternalServerError)
	}
}

func pageForStatus(code int) errorPage {
	switch code {
	case http.StatusNotFound:
		return errorPage{"没有找到这个页面", "您要找的页面不存在。请从首页重新进入。"}
	case http.StatusMethodNotAllowed:
		return errorPage{"无法这样访问", "这个地址不支持这种访问方式。请从首页重新进入。"}
	case http.StatusRequestEntityTooLarge:
		return errorPage{"内容太长了", "提交的内容超过了允许的长度。请返回上一页，删减后再提交。"}
	case http.StatusTooManyRequests:
		return errorPage{"请稍等一会儿", "现在访问的人太多，请等一分钟再试。"}
	case http.StatusForbidden:
		return errorPage{"无权访问", "您没有访问这个页面的权限。"}
	case http.StatusServiceUnavailable:
		return errorPage{"系统繁忙", "现在访问的人比较多，请稍等半分钟再试。"}
	}
	if code >= 500 {
		return errorPage{"出了点问题", "系统暂时出了问题，我们会尽快修好。请稍后再试。"}
	}
	return errorPage{"请求有误", "这个请求无法处理。请从首页重新进入。"}
}

// isOverload reports whether err means the portal was too busy rather than broken: the
// submission queue was full, the store is shutting down, or the write lock could not be had
// in time. Such a request deserves 503 and a retry, not a 500.
func isOverload(err error) bool {
	if errors.Is(err, storage.ErrBusy) || errors.Is(err, storage.ErrClosed) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return true
	}
	return strings.Contains(err.Error(), "database is locked")
}
