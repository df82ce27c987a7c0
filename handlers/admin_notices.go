package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// requirePublisher lets through the activity office (活动办): the admin and the reviewer, who
// publish notices, 简报 and the task list and withdraw them.
func requirePublisher(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !mayPublish(c) {
			return echo.ErrForbidden
		}
		return next(c)
	}
}

func mayPublish(c echo.Context) bool {
	u, _ := staffUser(c)
	// Public notices and the task list speak for the whole portal: not a branch administrator's (#15).
	return u.Role == access.Admin && u.Branch == "" || u.Role == access.Reviewer
}

// noticeForm is the publish form of the management page and of the task list's page.
type noticeForm struct {
	Kind     string `form:"kind"`
	Title    string `form:"title"`
	Body     string `form:"body"`
	Scope    string `form:"scope"` // public, staff, or unit (then Unit)
	Unit     string `form:"unit"`
	Campaign string `form:"campaign"` // a campaign's id, "" for none
	From     string `form:"from"`     // a task list without a campaign: its period
	To       string `form:"to"`
}

// bulletin is what the form asks storage to publish.
func (f noticeForm) bulletin() storage.NewBulletin {
	id, _ := strconv.ParseInt(f.Campaign, 10, 64)
	scope := f.Scope
	if scope == "unit" {
		scope = campaign.ScopeUnit(f.Unit)
	}
	return storage.NewBulletin{CampaignID: id, Kind: f.Kind, Title: f.Title, Body: f.Body, Scope: scope,
		From: strings.TrimSpace(f.From), To: strings.TrimSpace(f.To)}
}

// Validate returns a message per wrong field; units and campaigns are those that may be chosen.
func (f noticeForm) Validate(units []storage.Unit, campaigns []campaign.Campaign) locale.Fields {
	errs := locale.Fields{}
	b := f.bulletin()
	for field, code := range b.Problems() {
		errs[field] = bulletinProblems[field+" "+code]
	}
	if f.Scope == "unit" && !unitListed(units, f.Unit) {
		delete(errs, "scope")
		errs["unit"] = locale.M("notice.unit_need")
	}
	if f.Campaign != "" && !campaignListed(campaigns, b.CampaignID) {
		errs["campaign"] = locale.M("notice.campaign_unknown")
	}
	return errs
}

// bulletinProblems words storage.NewBulletin.Problems, by "field code".
var bulletinProblems = map[string]locale.Message{
	"title need": locale.M("notice.title_need"), "title long": locale.M("notice.title_long", storage.MaxNoticeTitle),
	"body need": locale.M("notice.body_need"), "body long": locale.M("notice.body_long", storage.MaxNoticeBody),
	"kind need": locale.M("notice.kind_need"), "scope need": locale.M("notice.scope_need"),
	"period need": locale.M("notice.period_need"),
}

func campaignListed(all []campaign.Campaign, id int64) bool {
	for _, c := range all {
		if c.ID == id {
			return true
		}
	}
	return false
}

// noticeRow is one published item as a list shows it, its words in the reader's language.
type noticeRow struct {
	storage.Bulletin
	KindWords, ScopeWords, Day, Campaign string
}

// noticeAuditTerms word the audit log's entries of publishing and withdrawing (storage
// PublishBulletin, WithdrawBulletin).
var noticeAuditTerms = vocab.List("audit.notice_publish", "audit.notice_withdraw")

// noticeKinds are the kinds with their catalog keys, in the order of storage.NoticeKinds.
var noticeKinds = vocab.List("notice_kind.notice", "notice_kind.brief", "notice_kind.tasklist", "notice_kind.result")

// noticeRows words items for a list.
func (s *Server) noticeRows(c echo.Context, items []storage.Bulletin) ([]noticeRow, error) {
	all, err := s.store.Campaigns(c.Request().Context())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, cp := range all {
		names[cp.ID] = cp.Name
	}
	p := s.printer(c)
	units, err := s.store.Units(c.Request().Context())
	if err != nil {
		return nil, err
	}
	out := make([]noticeRow, len(items))
	for i, b := range items {
		out[i] = noticeRow{Bulletin: b, KindWords: vocab.LabelIn(p, noticeKinds, b.Kind),
			ScopeWords: scopeWords(p, b.Scope, units), Day: p.Day(b.PublishedOn), Campaign: names[b.CampaignID]}
	}
	return out, nil
}

// noticesPage is the data of notices.html: the management page.
type noticesPage struct {
	Items     []noticeRow
	Form      noticeForm
	Errors    map[string]string
	Message   string
	Units     []storage.Unit
	Campaigns []campaign.Campaign
	Scopes    []vocab.Term
	Kinds     []vocab.Term
}

// renderNotices shows the management page with form f (and its errors) at status.
func (s *Server) renderNotices(c echo.Context, status int, f noticeForm, errs locale.Fields) error {
	ctx := c.Request().Context()
	items, err := s.store.Bulletins(ctx, storage.BulletinFilter{Reader: s.campaignReader(c), Withdrawn: true})
	if err != nil {
		return err
	}
	page := noticesPage{Form: f, Scopes: campaign.Scopes, Kinds: noticeKinds}
	if page.Items, err = s.noticeRows(c, items); err != nil {
		return err
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	if page.Campaigns, err = s.store.Campaigns(ctx); err != nil {
		return err
	}
	p := s.printer(c)
	page.Errors = p.Fields(errs)
	if len(errs) > 0 {
		page.Message = p.T("notice.incomplete")
	}
	return s.render(c, status, "notices", page)
}

// showNotices handles GET /admin/notices: publish a notice, a 简报 or a result with its scope;
// every item published, withdrawn ones marked, each with its withdraw button.
func (s *Server) showNotices(c echo.Context) error {
	return s.renderNotices(c, http.StatusOK, noticeForm{Kind: storage.NoticeNotice, Scope: campaign.ScopePublic}, nil)
}

// publishNotice handles POST /admin/notices: publish what the form says; a task list is frozen
// as it stands now. A refused form comes back with the words kept (422), and a task list's
// form on its own page.
func (s *Server) publishNotice(c echo.Context) error {
	var f noticeForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	retry := func(errs locale.Fields) error {
		if f.Kind == storage.NoticeTaskList { // back to the list it was to publish
			return s.renderTaskList(c, http.StatusUnprocessableEntity, f, errs)
		}
		return s.renderNotices(c, http.StatusUnprocessableEntity, f, errs)
	}
	if errs := f.Validate(units, all); len(errs) > 0 {
		return retry(errs)
	}
	u, _ := staffUser(c)
	id, err := s.store.PublishBulletin(ctx, u.ID, f.bulletin())
	if errors.Is(err, storage.ErrInvalid) { // a unit or campaign gone meanwhile
		return retry(locale.Fields{"scope": locale.M("notice.scope_need")})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/zhuanlan/"+strconv.FormatInt(id, 10))
}

// withdrawNotice handles POST /admin/notices/{id}/withdraw: 撤回, audited; the item leaves the
// 专栏 and /gongshi and stays on this page, marked.
func (s *Server) withdrawNotice(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	u, _ := staffUser(c)
	switch err := s.store.WithdrawBulletin(c.Request().Context(), u.ID, id); {
	case errors.Is(err, storage.ErrNotFound):
		return echo.ErrNotFound
	case err != nil && !errors.Is(err, storage.ErrConflict): // withdrawn already: nothing to do
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/notices")
}
