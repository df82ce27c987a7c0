package handlers

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/storage"
)

// publicRoleNames are the roles as a patient would understand them, for "who reads it": not
// the office's own names (活动办审核员, 联络员). They are catalog keys.
var publicRoleNames = map[string]string{
	access.Admin:      "mailbox_public.role_admin",
	access.Reviewer:   "mailbox_public.role_reviewer",
	access.Liaison:    "mailbox_public.role_liaison",
	access.Leader:     "mailbox_public.role_leader",
	access.Supervisor: "mailbox_public.role_supervisor",
	access.Discipline: "mailbox_public.role_discipline",
	access.UnitHead:   "mailbox_public.role_unit_head",
	access.DeptHead:   "mailbox_public.role_dept_head",
}

// readersSentence is readersIn in the default language, for the staff page of mailboxes until
// it writes the sentence in its reader's language.
func readersSentence(m storage.Mailbox) string { return readersIn(locale.Get(locale.Default), m) }

// readersIn says in plain words, in p's language, who reads m: the administrator's note if
// there is one (in the words it was written in), else a sentence built from the reader roles
// and the named readers' posts (never their names). A discipline mailbox always says the same,
// whatever note was written: its readers are fixed by the system.
func readersIn(p *locale.Printer, m storage.Mailbox) string {
	if m.Discipline {
		return p.T("mailbox_public.discipline_readers")
	}
	if m.ReadersNote != "" {
		return m.ReadersNote
	}
	var who []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			who = append(who, s)
		}
	}
	for _, r := range m.ReaderRoles {
		add(p.T(publicRoleNames[r]))
	}
	for _, u := range m.ReaderUsers {
		if u.Role == access.Liaison && u.UnitName != "" {
			add(p.T("mailbox_public.named_unit_liaison", locale.Args{"unit": u.UnitName}))
		} else {
			add(p.T("mailbox_public.named", p.T(publicRoleNames[u.Role])))
		}
	}
	if len(who) == 0 {
		return p.T("mailbox_public.no_readers")
	}
	return p.T("mailbox_public.read_by", strings.Join(who, p.T("mailbox_public.list_separator")))
}

// publicMailbox is one mailbox on /xinxiang.
type publicMailbox struct {
	storage.Mailbox
	ReadersLine template.HTML // 谁会读：readersIn
	Link        string        // the form addressed to it (a public path, without the language)
}

// mailboxesPublicPage is the data of templates/pages/mailboxes_public.html.
type mailboxesPublicPage struct {
	Mailboxes []publicMailbox
	Sites     []publicSite // where the paper boxes and posters are
	// The sentences with a link in them: when no mailbox is open, and for whoever does not
	// know whom to write to.
	NoMailbox, NotSure template.HTML
	// Branch is the name of the unit whose branch the page lists (?branch=), "" for all.
	Branch string
}

// publicSite is a registered box or poster place as the public sees it: where it is, never
// how many opinions it took.
type publicSite struct {
	Name, Where, UnitName string
	Shown                 template.HTML // the name in bold, then its unit and place
}

// showMailboxesPublic handles GET /xinxiang: the mailboxes the public may write to, what each
// is for and, plainly, who reads it; and where the paper opinion boxes are.
func (s *Server) showMailboxesPublic(c echo.Context) error {
	scope, err := s.publicBranch(c)
	if err != nil {
		return err
	}
	boxes, err := s.store.ActiveMailboxes(c.Request().Context())
	if err != nil {
		return err
	}
	sites, err := s.store.Sites(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.printer(c)
	submit := s.localPath(c, "/submit")
	page := mailboxesPublicPage{
		NoMailbox: htmlMessage(p, "mailbox_public.none_open", linkTo(htmlPieces{}, "a", submit)),
		NotSure:   htmlMessage(p, "mailbox_public.not_sure_text", linkTo(htmlPieces{}, "a", submit)),
		Branch:    scope.Name,
	}
	for _, m := range boxes {
		if !scope.has(m.UnitCode) {
			continue // the bureau's own mailboxes ("" unit) are on the page of the whole tree
		}
		page.Mailboxes = append(page.Mailboxes, publicMailbox{Mailbox: m,
			ReadersLine: htmlMessage(p, "mailbox_public.who_reads", bold(htmlPieces{"readers": escaped(readersIn(p, m))})),
			Link:        "/submit?mailbox=" + url.QueryEscape(m.Code)})
	}
	for _, st := range sites {
		if !st.Active || !scope.has(st.UnitCode) {
			continue
		}
		where := st.UnitName
		if place := st.Place(); place != "" {
			where += " · " + place
		}
		page.Sites = append(page.Sites, publicSite{Name: st.Name, Where: st.Place(), UnitName: st.UnitName,
			Shown: htmlMessage(p, "mailbox_public.site", htmlPieces{"name": "<strong>" + escaped(st.Name) + "</strong>",
				"where": escaped(where)})})
	}
	return s.render(c, http.StatusOK, "mailboxes_public", page)
}
