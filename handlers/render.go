package handlers

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"minsheng/campaign"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// view is what every page template receives: the page's own data under Page, plus what the
// layout needs.
type view struct {
	Staff *storage.User
	// Unread is the number of the staff member's unread notifications (one indexed count).
	Unread int
	Page   any
	// Lang and Dir are the page's language and script direction (the html element's lang
	// and dir); Languages is the language switch.
	Lang, Dir string
	Languages []languageLink
	// Banners name the campaigns running today, on the public pages (campaign_public.go).
	Banners []campaignBanner
	csrf    func() string
}

// CSRF returns the form token; templates call it only where there is a form, so pages without
// one set no cookie.
func (v view) CSRF() string { return v.csrf() }

// renderer holds, for each language, one template set per page (layout + partials + the
// page), so each page can define its own "title" and "content" blocks. Every language parses
// the same files with the same function names; only what the functions say differs. The
// default language is parsed at start-up, which proves the files parse; each other language
// is parsed the first time a page is asked for in it.
type renderer struct {
	files  fs.FS
	static *assets
	// langs parses each language's set on first use, once; the map itself is made whole in
	// newRenderer and only read after, so a render takes no lock.
	langs map[string]func() (map[string]*template.Template, error)
}

// labelled is a code's term that says its words in a language: vocab.Term, lifecycle.Status,
// sifeng.Style, sifeng.Manifestation.
type labelled interface {
	In(p *locale.Printer) string
}

// pageFuncs are the templates' functions in the language of p.
func pageFuncs(p *locale.Printer, static *assets) template.FuncMap {
	return template.FuncMap{
		// t writes a catalog message: {{t "submit.title"}}, {{t "track.found" .Count}}.
		"t":      p.T,
		"plural": p.Plural,
		"msg":    p.Msg,
		"num":    p.Number,
		// date writes the calendar day of a time in China time, as the language writes dates.
		"date": func(t time.Time) string { return p.Date(t.In(displayZone)) },
		// link is a public path in the page's language (/submit → /en/submit).
		"link":           func(path string) string { return langPrefix(p.Lang()) + path },
		"label":          func(x labelled) string { return x.In(p) },
		"typeLabel":      func(code string) string { return vocab.LabelIn(p, vocab.Types, code) },
		"submitterLabel": func(code string) string { return vocab.LabelIn(p, vocab.Submitters, code) },
		"channelLabel":   func(code string) string { return vocab.LabelIn(p, vocab.Channels, code) },
		"segmentLabel":   func(code string) string { return vocab.LabelIn(p, vocab.Segments, code) },
		"targetText":     func(t storage.Target) string { return targetText(p, t) },
		"statusLabel":    func(code string) string { return lifecycle.LabelIn(p, code) },
		"publicStatus":   func(code string) string { return lifecycle.PublicLabelIn(p, code) },
		"boardStatus":    func(code string) string { return lifecycle.BoardIn(p, code) },
		"kindLabel":      func(code string) string { return vocab.LabelIn(p, lifecycle.Kinds, code) },
		// phaseLabel is a campaign phase's name: the admin's for a custom one, else its kind's.
		"phaseLabel":  func(ph campaign.Phase) string { return phaseName(p, ph) },
		"levelLabel":  func(code string) string { return vocab.LabelIn(p, lifecycle.Levels, code) },
		"ledgerLabel": func(code string) string { return vocab.LabelIn(p, lifecycle.Ledgers, code) },
		"ratingLabel": func(code string) string { return vocab.LabelIn(p, lifecycle.Ratings, code) },
		"styleLabel":  func(code string) string { return sifeng.LabelIn(p, code) },
		"asset":       static.URL,
		// captchaField packs what the "captcha" partial needs: the captcha id and its error.
		// (err is untyped: a page without errors has a nil map, whose fields are nil, not "").
		"captchaField": func(id string, err any) captchaView {
			msg, _ := err.(string)
			return captchaView{ID: id, Error: msg}
		},
		// renewableCaptcha is the captcha of a form with a 换一张验证码 button ("newcaptcha"
		// partial) whose handler answers it; note says that it was just pressed.
		"renewableCaptcha": func(id string, err any, note string) captchaView {
			msg, _ := err.(string)
			return captchaView{ID: id, Error: msg, Note: note, Renewable: true}
		},
		// kioskCaptcha is a lobby kiosk's: larger, and with no link that could lead off the page.
		"kioskCaptcha": func(id string, err any, note string) captchaView {
			msg, _ := err.(string)
			return captchaView{ID: id, Error: msg, Note: note, Renewable: true, Kiosk: true}
		},
		// newCaptchaButton packs what the "newcaptcha" partial needs: the captcha id (no captcha,
		// no button) and the form's action, where the button sends the form.
		"newCaptchaButton": func(id, action string) struct{ ID, Action string } {
			return struct{ ID, Action string }{id, action}
		},
		// codeGroups splits a receipt code into its groups, so a narrow screen breaks only between them.
		"codeGroups": func(code string) []string { return strings.Split(code, "-") },
		"formatTime": func(t time.Time) string { return t.In(displayZone).Format("2006-01-02 15:04") },
		"excerpt":    excerpt,
		// reportNotice is the second line of the confidentiality notice (partial "confidential"):
		// the way to 举报, linking to href.
		// href "" (a kiosk, which links nowhere): the words alone.
		"reportNotice": func(href string) template.HTML {
			if href == "" {
				return htmlMessage(p, "form16.notice_report", htmlPieces{"a": "", "/a": ""})
			}
			return htmlMessage(p, "form16.notice_report", linkTo(htmlPieces{}, "a", href))
		},
		"hasStyle": func(styles []string, code string) bool {
			for _, s := range styles {
				if s == code {
					return true
				}
			}
			return false
		},
	}
}

// displayZone shows staff times in China Standard Time whatever the server's zone.
var displayZone = time.FixedZone("CST", 8*60*60)

// auditLabels are the words of each audit action, by action code (the catalog's audit.* keys).
var auditLabels = termsByCode(auditActionTerms)

// baseAuditTerms are the words of the actions storage records, in the order the audit log
// page's filter offers them (then problemAuditTerms and readAuditTerms).
var baseAuditTerms = vocab.List(
	"audit.tag", "audit.status", "audit.reply", "audit.note", "audit.classify", "audit.flags",
	"audit.rate", "audit.publish", "audit.unpublish", "audit.export", "audit.login", "audit.logout",
	"audit.setup", "audit.seed", "audit.user_add", "audit.user_disable", "audit.user_enable",
	"audit.user_password", "audit.user_links", "audit.user_branch", "audit.user_unlock", "audit.unit_add",
	"audit.unit_rename", "audit.unit_retire", "audit.unit_restore", "audit.calendar_set",
	"audit.calendar_delete", "audit.filter_save", "audit.filter_delete", "audit.survey_add",
	"audit.survey_thresholds", "audit.transcribe", "audit.mailbox_add", "audit.mailbox_edit",
	"audit.mailbox_retire", "audit.mailbox_restore", "audit.site_add", "audit.site_edit",
	"audit.site_retire", "audit.site_restore", "audit.evaluation_add", "audit.evaluation_codes",
	"audit.evaluation_close",
	"audit.subtag", "audit.attributes", "audit.tag_add", "audit.tag_edit", "audit.tag_retire", "audit.tag_restore",
	"audit.report_issue", "audit.report_draft", "audit.attachment_read", "audit.tag_family",
)

// termsByCode maps each term's code to the term.
func termsByCode(terms []vocab.Term) map[string]vocab.Term {
	m := make(map[string]vocab.Term, len(terms))
	for _, t := range terms {
		m[t.Code] = t
	}
	return m
}

// auditDetail shows the codes an audit row keeps in the reader's words, so that an item's
// history never shows a code: "received→triaged" as 待梳理→已分类, "hedonism,formalism" as
// 享乐主义、形式主义, "level=department about_leadership" as 问题层次：科室；涉及班子, "basically" as
// 基本满意, "letter 2026-04-01" as 信函，2026-04-01 收到 (in zh-CN; each language its own way).
func auditDetail(p *locale.Printer, action, detail string) string {
	if words, ok := planAuditDetail(p, action, detail); ok { // the plans' steps (plan_view.go)
		return words
	}
	if words, ok := paperAuditDetail(p, action, detail); ok { // meetings, the directory (admin_symposia.go)
		return words
	}
	list := func(words []string) string { return strings.Join(words, p.T("item.list_sep")) }
	switch action {
	case "status":
		if from, to, ok := strings.Cut(detail, "→"); ok {
			return p.T("history.moved", lifecycle.LabelIn(p, from), lifecycle.LabelIn(p, to))
		}
	case "tag":
		var labels []string
		for _, code := range strings.Split(detail, ",") {
			if code != "" {
				bare, plus := strings.CutPrefix(code, "+")
				label := sifeng.LabelIn(p, bare)
				if plus {
					label = "+" + label
				}
				labels = append(labels, label)
			}
		}
		return list(labels)
	case "classify":
		// "level=CODE", then " about_leadership" (before #17: " 涉及班子") when the leadership
		// box was ticked.
		if rest, ok := strings.CutPrefix(detail, "level="); ok {
			level, extra, _ := strings.Cut(rest, " ")
			name := p.T("item.level_none")
			if level != "" {
				name = vocab.LabelIn(p, lifecycle.Levels, level)
			}
			words := p.T("history.level", name)
			if extra = strings.TrimSpace(extra); extra != "" {
				words = p.T("history.level_and", words, storedWord(p, extra))
			}
			return words
		}
	case "attributes":
		return attributesDetail(p, detail)
	case "rate":
		return vocab.LabelIn(p, lifecycle.Ratings, detail)
	case "flags":
		var words []string
		for _, w := range strings.Split(detail, ",") {
			words = append(words, storedWord(p, w))
		}
		return list(words)
	case "tag_family":
		// "FAMILY on" or "FAMILY off" (Store.SetOptionalFamily): only the diagnostic family today.
		if strings.HasSuffix(detail, " on") {
			return p.T("form16.diagnostic_turned_on")
		}
		return p.T("form16.diagnostic_turned_off")
	case "transcribe":
		// "CHANNEL YYYY-MM-DD": how it came and the day it arrived.
		if channel, day, ok := strings.Cut(detail, " "); ok {
			words := vocab.LabelIn(p, vocab.Channels, channel)
			if day != "" {
				words = p.T("history.received", words, p.Day(day))
			}
			return words
		}
		return vocab.LabelIn(p, vocab.Channels, detail)
	}
	return detail
}

// auditLabel is the words of an audit action in p's language, or the action's code when unknown.
func auditLabel(p *locale.Printer, action string) string {
	if t, ok := auditLabels[action]; ok {
		return t.In(p)
	}
	return action
}

// excerpt returns the first n characters of s on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// newRenderer parses every page under templates/pages with the layout and partials in the
// default language, so that a broken template stops the program at start-up; the other
// languages (the pseudo one too) are parsed the first time a page is asked for in them.
func newRenderer(files fs.FS, static *assets) (*renderer, error) {
	r := &renderer{files: files, static: static, langs: map[string]func() (map[string]*template.Template, error){}}
	for _, lang := range append([]string{locale.PseudoRTL}, locale.Languages...) {
		r.langs[lang] = sync.OnceValues(func() (map[string]*template.Template, error) { return r.parse(lang) })
	}
	if _, err := r.pages(locale.Default); err != nil {
		return nil, err
	}
	return r, nil
}

// pages returns the page templates of lang (the default language's for one it does not know).
func (r *renderer) pages(lang string) (map[string]*template.Template, error) {
	set, ok := r.langs[lang]
	if !ok {
		set = r.langs[locale.Default]
	}
	return set()
}

// parse parses every page of lang.
func (r *renderer) parse(lang string) (map[string]*template.Template, error) {
	files, err := fs.Glob(r.files, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("templates: no pages found")
	}
	funcs := pageFuncs(locale.Get(lang), r.static)
	set := map[string]*template.Template{}
	for _, p := range files {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(r.files, "templates/layout.html", "templates/partials.html", p)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", name, err)
		}
		set[name] = t
	}
	return set, nil
}

// Render implements echo.Renderer. It renders into a buffer first, so a template error
// becomes a clean error page instead of half a page. The page's language is its view's.
func (r *renderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	lang := locale.Default
	if v, ok := data.(view); ok && v.Lang != "" {
		lang = v.Lang
	}
	set, err := r.pages(lang)
	if err != nil {
		return err
	}
	t, ok := set[name]
	if !ok {
		return fmt.Errorf("templates: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("templates: %s: %w", name, err)
	}
	_, err = buf.WriteTo(w)
	return err
}

// render renders page with status in the reader's language, wrapping data with what the
// layout needs.
func (s *Server) render(c echo.Context, status int, page string, data any) error {
	p := s.printer(c)
	v := view{Page: data, Lang: p.Lang(), Dir: p.Dir(), csrf: func() string {
		c.Set(secretKey, true) // a page with a token is compressed only under compress's rules
		return s.csrfToken(c)
	}}
	if u, ok := staffUser(c); ok {
		v.Staff = &u
		if n, err := s.store.UnreadCount(c.Request().Context(), u.ID); err == nil {
			v.Unread = n
		} else {
			s.staffLog.Warn("unread count", "err", err) // a missing badge must not cost the page
		}
	} else {
		v.Languages = languageSwitch(c, p.Lang())
		v.Banners = s.campaignBanners(c.Request().Context(), p)
	}
	return c.Render(status, page, v)
}
