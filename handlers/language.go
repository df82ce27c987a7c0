package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
)

// The reader's language. Public pages keep it in the path (/en/submit, /zh-Hant/track; the
// default language has no prefix), so that no cookie, account or stored preference is needed
// and a printed or shared link opens in the language it was copied in. Staff pages use the
// language of the staff member's profile. The browser's Accept-Language header is not read at
// all: a visible switch on every page is enough, and a header the portal never reads is one it
// can never log.

const langKey = "lang" // echo.Context key: the language the path chose

// pickLanguage runs before routing: a path that starts with a language's prefix has it taken
// off, so every route is written once, and the language is kept for the request. The pseudo
// right-to-left language is served only when the configuration asks for it (layout tests).
func (s *Server) pickLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		first, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if first != locale.Default && locale.Known(first) && (first != locale.PseudoRTL || s.pseudoRTL) {
			c.Set(langKey, first)
			r.URL.Path = "/" + rest
			r.URL.RawPath = ""
		}
		return next(c)
	}
}

// printer is the language of the page being answered: the staff member's own choice on a
// staff page, else the path's, else the default.
func (s *Server) printer(c echo.Context) *locale.Printer {
	if u, ok := staffUser(c); ok && u.Lang != "" {
		return locale.Get(u.Lang)
	}
	if lang, ok := c.Get(langKey).(string); ok {
		return locale.Get(lang)
	}
	return locale.Get(locale.Default)
}

// langPrefix is the path prefix of lang: "" for the default language, "/en" for English.
func langPrefix(lang string) string {
	if lang == locale.Default || lang == "" {
		return ""
	}
	return "/" + lang
}

// localPath is the public path p in the language of the page being answered, for redirects:
// a person who writes in English is sent on to the English receipt.
func (s *Server) localPath(c echo.Context, p string) string {
	return langPrefix(s.printer(c).Lang()) + p
}

// seeOther answers a public form with 303 to p in the reader's language.
func (s *Server) seeOther(c echo.Context, p string) error {
	return c.Redirect(http.StatusSeeOther, s.localPath(c, p))
}

// languageLink is one entry of the language switch.
type languageLink struct {
	Lang, Name, Href string
	Current          bool
}

// switchParams are the query parameters a language link carries over: the codes that say
// which poster, mailbox or unit a person came from. Nothing else in a query is repeated on the
// page: a query may hold anything a visitor or a crafted link put there (a receipt code pasted
// into the address, say), and the page must not echo it.
var switchParams = []string{"site", "mailbox", "unit"}

// languageSwitch links the page being answered in every language: the same path under each
// prefix, with the codes of switchParams. A page answering a form post links to the form's own
// address, whose GET shows the form again (nothing typed travels in a link).
func languageSwitch(c echo.Context, current string) []languageLink {
	r := c.Request()
	kept := keptQuery(r)
	links := make([]languageLink, 0, len(locale.Languages))
	for _, lang := range locale.Languages {
		href := (&url.URL{Path: langPrefix(lang) + r.URL.Path, RawQuery: kept.Encode()}).String()
		links = append(links, languageLink{Lang: lang, Name: locale.Get(lang).Name(), Href: href, Current: lang == current})
	}
	return links
}

// keptQuery is the part of r's query the language switch carries over (switchParams), none for
// a form post.
func keptQuery(r *http.Request) url.Values {
	kept := url.Values{}
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		q := r.URL.Query()
		for _, name := range switchParams {
			if v := q.Get(name); isCode(v) {
				kept.Set(name, v)
			}
		}
	}
	return kept
}

// isCode reports whether v looks like a registry code (a site, mailbox or unit): lower-case
// ASCII letters, digits and hyphens, at most 40.
func isCode(v string) bool {
	if v == "" || len(v) > 40 {
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
