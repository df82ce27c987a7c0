package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// The receipt page answers every submission, and its rendering (the layout, a dozen catalog
// messages through html/template's reflection) was a fifth of the portal's CPU per
// acknowledgement under load (#11, docs/benchmarks.md). Everything on it but the code and the
// form token is the same for every receipt in one language, with one readers sentence, at one
// address: so the page is rendered once per such key with placeholders where the code's groups
// and the token go, kept as the pieces between them, and each receipt is those pieces with its
// own code and token put back. The first use of a key renders the page the ordinary way as well
// and keeps the pieces only if they give exactly the same bytes; otherwise (a placeholder
// character in a mailbox's name, say) that key is always rendered the ordinary way.

// stampKey is what the receipt page depends on besides the code and the token: the language,
// the readers sentence, the minutes the code stays shown (0: shown once, no form), the
// language switch's links (the request's path and kept query) and the campaign banners of the
// day (a campaign's phase changes them).
type stampKey struct {
	lang, readers, links, banners string
	minutes                       int
}

// stamped is one key's page: pieces[0] hole[0] pieces[1] … hole[n-1] pieces[n]. A hole is a
// code group's index (0 …) or holeToken.
type stamped struct {
	pieces []string
	holes  []int
	token  bool // the page carries the form token: asking for it may set the cookie
	plain  bool // the check failed: render this key the ordinary way
}

type receiptStamps struct {
	mu    sync.RWMutex
	pages map[stampKey]*stamped
}

const (
	// codeGroups is how many groups a display receipt code has (receipt.Format).
	codeGroupCount = 5
	holeToken      = codeGroupCount
	// maxStamps bounds the kept pages: languages × readers sentences (one per mailbox) × the
	// two forms of the page × the addresses it is shown at; past it, pages are rendered.
	maxStamps = 512
	// placeholder is the first of the private-use characters standing for the holes while
	// the page is stamped: U+E000 + the hole's number.
	placeholder = '\uE000'
)

// renderReceipt renders the receipt page for page (with a code) with status, from its stamp
// when it has one.
func (s *Server) renderReceipt(c echo.Context, status int, page receiptPage) error {
	groups := strings.Split(page.Code, "-")
	if _, staff := staffUser(c); staff || len(groups) != codeGroupCount || !allPlain(groups...) {
		return s.render(c, status, "submit_done", page)
	}
	p := s.printer(c)
	banners := s.campaignBanners(c.Request().Context(), p)
	key := stampKey{lang: p.Lang(), readers: page.Readers, minutes: page.Minutes, links: switchKey(c, p.Lang()),
		banners: bannersKey(banners)}
	s.stamps.mu.RLock()
	st := s.stamps.pages[key]
	s.stamps.mu.RUnlock()
	if st == nil {
		var err error
		if st, err = s.stampReceipt(c, key, page, banners); err != nil {
			return err
		}
	}
	if st.plain {
		return s.render(c, status, "submit_done", page)
	}
	token := ""
	if st.token {
		c.Set(secretKey, true) // as render's view.CSRF does
		if token = s.csrfToken(c); !allPlain(token) {
			return s.render(c, status, "submit_done", page)
		}
	}
	return c.HTMLBlob(status, st.fill(groups, token))
}

// stampReceipt renders key's page with placeholders, checks the pieces against the ordinary
// rendering of page and keeps them (or the verdict to render the key plainly).
func (s *Server) stampReceipt(c echo.Context, key stampKey, page receiptPage, banners []campaignBanner) (*stamped, error) {
	holes := make([]string, codeGroupCount)
	for i := range holes {
		holes[i] = string(rune(placeholder + i))
	}
	blank := page
	blank.Code = strings.Join(holes, "-")
	asked := false
	var out bytes.Buffer
	if err := s.renderTo(c, &out, "submit_done", blank, banners, func() string {
		asked = true
		return string(rune(placeholder + holeToken))
	}); err != nil {
		return nil, err
	}
	st := cut(out.String())
	st.token = asked
	// The check: this receipt rendered the ordinary way must be what the pieces give.
	var real bytes.Buffer
	token := ""
	if asked {
		token = s.csrfToken(c)
	}
	if err := s.renderTo(c, &real, "submit_done", page, banners, func() string { return token }); err != nil {
		return nil, err
	}
	if st.plain || asked && !allPlain(token) || !bytes.Equal(st.fill(strings.Split(page.Code, "-"), token), real.Bytes()) {
		st = &stamped{plain: true}
	}
	s.stamps.mu.Lock()
	defer s.stamps.mu.Unlock()
	if s.stamps.pages == nil {
		s.stamps.pages = map[stampKey]*stamped{}
	}
	if len(s.stamps.pages) < maxStamps {
		s.stamps.pages[key] = st
	}
	return st, nil
}

// cut splits a page rendered with placeholders into its pieces and holes; a placeholder of no
// hole, or none at all, makes it plain.
func cut(page string) *stamped {
	st := &stamped{}
	start := 0
	for i, r := range page {
		if r < placeholder || r > placeholder+holeToken {
			continue
		}
		st.pieces = append(st.pieces, page[start:i])
		st.holes = append(st.holes, int(r-placeholder))
		start = i + len(string(r))
	}
	st.pieces = append(st.pieces, page[start:])
	st.plain = len(st.holes) == 0
	return st
}

// fill puts the code's groups and the token into the holes.
func (st *stamped) fill(groups []string, token string) []byte {
	n := len(token) * 2
	for _, p := range st.pieces {
		n += len(p)
	}
	out := make([]byte, 0, n+len(st.holes)*8)
	for i, p := range st.pieces {
		out = append(out, p...)
		if i == len(st.holes) {
			break
		}
		if h := st.holes[i]; h == holeToken {
			out = append(out, token...)
		} else {
			out = append(out, groups[h]...)
		}
	}
	return out
}

// allPlain reports whether every s is non-empty and of ASCII letters, digits, '-' and '_'
// alone: what a code group and a form token are made of, and what no template escaping
// changes, in text or in an attribute.
func allPlain(ss ...string) bool {
	for _, s := range ss {
		if s == "" {
			return false
		}
		for i := 0; i < len(s); i++ {
			b := s[i]
			if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
				return false
			}
		}
	}
	return true
}

// switchKey stands for the language switch's links of this request, as one string: the path
// and the query it keeps, which are all the links are made of (languageSwitch). Every receipt
// page asks for it; building the links themselves (a URL per language) cost more than the rest
// of the key (#11).
func switchKey(c echo.Context, lang string) string {
	// The kept query first: encoded, it holds no "?", so no two requests whose links differ
	// share a key, whatever their paths hold.
	r := c.Request()
	if r.Method != http.MethodGet || r.URL.RawQuery == "" {
		return "?" + r.URL.Path
	}
	return keptQuery(r).Encode() + "?" + r.URL.Path
}

// bannersKey stands for the campaign banners of the page ("" on most days: none).
func bannersKey(banners []campaignBanner) string {
	if len(banners) == 0 {
		return ""
	}
	return fmt.Sprint(banners)
}

// renderTo renders page into w as render does for c (a public page: the language switch and
// the campaign banners), with csrf giving the form token.
func (s *Server) renderTo(c echo.Context, w *bytes.Buffer, page string, data any, banners []campaignBanner, csrf func() string) error {
	p := s.printer(c)
	v := view{Page: data, Lang: p.Lang(), Dir: p.Dir(), csrf: csrf, Languages: languageSwitch(c, p.Lang()), Banners: banners}
	return c.Echo().Renderer.Render(w, page, v, c)
}
