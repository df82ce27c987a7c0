package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/storage"
)

// publicRoleNames are the roles as a patient would understand them, for "who reads it": not
// the office's own names (活动办审核员, 联络员).
var publicRoleNames = map[string]string{
	access.Admin:      "平台管理员",
	access.Reviewer:   "卫生健康局意见办理人员",
	access.Liaison:    "各单位的意见联系人",
	access.Leader:     "局领导",
	access.Supervisor: "督导组",
	access.Discipline: "纪检监察人员",
}

// disciplineReaders is what the public page always says of a discipline mailbox, whatever note
// was written: its readers are fixed by the system.
const disciplineReaders = "只由纪检监察人员阅读，其他任何人都看不到。"

// readersSentence says in plain words who reads m: the administrator's note if there is one,
// else a sentence built from the reader roles and the named readers' posts (never their names).
func readersSentence(m storage.Mailbox) string {
	if m.Discipline {
		return disciplineReaders
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
		add(publicRoleNames[r])
	}
	for _, u := range m.ReaderUsers {
		post := publicRoleNames[u.Role]
		if u.Role == access.Liaison && u.UnitName != "" {
			post = u.UnitName + "意见联系人"
		}
		add("指定的" + post)
	}
	if len(who) == 0 {
		return "暂时没有人阅读这个信箱。"
	}
	return "由" + strings.Join(who, "、") + "阅读。"
}

// publicMailbox is one mailbox on /xinxiang.
type publicMailbox struct {
	storage.Mailbox
	Readers string // readersSentence
	Link    string // the form addressed to it
}

// mailboxesPublicPage is the data of templates/pages/mailboxes_public.html.
type mailboxesPublicPage struct {
	Mailboxes []publicMailbox
	Sites     []publicSite // where the paper boxes and posters are
}

// publicSite is a registered box or poster place as the public sees it: where it is, never
// how many opinions it took.
type publicSite struct {
	Name, Where, UnitName string
}

// showMailboxesPublic handles GET /xinxiang: the mailboxes the public may write to, what each
// is for and, plainly, who reads it; and where the paper opinion boxes are.
func (s *Server) showMailboxesPublic(c echo.Context) error {
	boxes, err := s.store.ActiveMailboxes(c.Request().Context())
	if err != nil {
		return err
	}
	sites, err := s.store.Sites(c.Request().Context())
	if err != nil {
		return err
	}
	var page mailboxesPublicPage
	for _, m := range boxes {
		page.Mailboxes = append(page.Mailboxes, publicMailbox{Mailbox: m, Readers: readersSentence(m),
			Link: "/submit?mailbox=" + url.QueryEscape(m.Code)})
	}
	for _, st := range sites {
		if st.Active {
			page.Sites = append(page.Sites, publicSite{Name: st.Name, Where: st.Place(), UnitName: st.UnitName})
		}
	}
	return s.render(c, http.StatusOK, "mailboxes_public", page)
}
