package handlers

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// Problems (问题, #11): opinions that report the same thing, gathered under one carrier that
// holds the rectification (storage/problem.go). The item page shows an opinion's problem and
// groups or splits; /admin/problems/:id shows one problem; the queue lists problems by how many
// people raised them (?view=problems) and filters opinions by one (?problem=ID).

// problemsPageSize is how many problems one page of the problems view shows.
const problemsPageSize = 50

// problemAuditTerms word the audit actions of grouping (storage/problem.go) in an item's
// history; auditLabels holds them with the others. Their codes are storage's action names.
var problemAuditTerms = []vocab.Term{
	auditTerm("problem_new", "problem.audit_new"),
	auditTerm("problem_join", "problem.audit_join"),
	auditTerm("problem_leave", "problem.audit_leave"),
	auditTerm("problem_title", "problem.audit_title"),
	auditTerm("problem_dissolve", "problem.audit_dissolve"),
}

func auditTerm(code, key string) vocab.Term {
	return vocab.Term{Code: code, Key: key, Label: locale.Get(locale.Default).T(key)}
}

// refusalKeys words storage's refusals of a grouping (storage.Refused*).
var refusalKeys = map[string]string{
	storage.RefusedSelf:          "problem.refused_self",
	storage.RefusedStatus:        "problem.refused_status",
	storage.RefusedMember:        "problem.refused_member",
	storage.RefusedCarries:       "problem.refused_carries",
	storage.RefusedReport:        "problem.refused_report",
	storage.RefusedCarrierLeaves: "problem.refused_carrier_leaves",
	storage.RefusedNotInProblem:  "problem.refused_not_in_problem",
	storage.RefusedBothCarry:     "problem.refused_both_carry",
	storage.RefusedSame:          "problem.refused_same",
	storage.RefusedTitle:         "problem.title_invalid",
	storage.RefusedHasProblem:    "problem.refused_has_problem",
}

// refusalIn says why storage refused a grouping, in p's language, naming the opinion it is
// about; "" when err is not a refusal.
func refusalIn(p *locale.Printer, err error) string {
	m, ok := refusalMessage(err)
	if !ok {
		return ""
	}
	return p.Msg(m)
}

// refusalMessage is storage's refusal of a grouping as a catalog message; false when err is none.
func refusalMessage(err error) (locale.Message, bool) {
	r := storage.RefusalOf(err)
	if r == nil {
		return locale.Message{}, false
	}
	key, ok := refusalKeys[r.Reason]
	if !ok {
		key = "problem.refused_other"
	}
	if r.Reason == storage.RefusedTitle {
		return locale.M(key, storage.MaxProblemTitle), true
	}
	return locale.M(key, r.Opinion), true
}

// mayGroup reports whether v may group opinions into problems and split them: the roles that
// may move an opinion to 重复 and back (access.Viewer.CanMove), the office and, for 举报, 纪检.
func mayGroup(v access.Viewer) bool {
	return v.CanMove(lifecycle.Triaged, lifecycle.Duplicate) && v.CanMove(lifecycle.Duplicate, lifecycle.Triaged)
}

// problemIDShaped reports whether s may be a problem's id (random, like an opinion's), so a
// stale or forged ?problem= is dropped before it reaches SQL.
func problemIDShaped(s string) bool {
	if len(s) < 8 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// itemProblem is the problem part of the item page (item.html, #problem).
type itemProblem struct {
	Problem  *storage.Problem // the problem the opinion is in, nil for none
	Others   int              // how many other people raised it
	CanGroup bool             // the viewer may group and split
	CanLeave bool             // 移出问题 is offered: a member, or a carrier left alone
	Title    string           // the title typed for 新建问题 or 归入同一问题, kept after a refusal
	Other    string           // the other opinion of a refused 归入同一问题
	AskTitle bool             // 归入同一问题 of two opinions in no problem: a title is needed
	Error    string           // why the last grouping was refused, in words
	// Similar is the similar-opinions panel (admin_similar.go).
	Similar []similarRow
}

// fillProblem reads the problem the opinion is in, as v may see it, into the item page.
func (s *Server) fillProblem(c echo.Context, page *itemPage, o storage.Opinion) error {
	ctx := c.Request().Context()
	v := viewer(c)
	g := &page.Grouping
	g.CanGroup = mayGroup(v)
	p, err := s.store.ProblemOf(ctx, o.ID, &v)
	switch {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return err
	default:
		g.Problem, g.Others = &p, p.Count-1
		g.CanLeave = g.CanGroup && (o.ID != p.Carrier || p.Count == 1)
	}
	return s.fillSimilar(c, page, o)
}

// problemForm is what the item page's grouping forms post.
type problemForm struct {
	Title string `form:"title"`
	Other string `form:"other"` // 归入同一问题: the similar opinion
}

// itemRefused shows the item page again with the grouping refused and what was typed.
func (s *Server) itemRefused(c echo.Context, f problemForm, why string, askTitle bool) error {
	return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Grouping: itemProblem{
		Title: f.Title, Other: f.Other, AskTitle: askTitle, Error: why}})
}

// newProblem handles POST /admin/opinions/{id}/problem/new: 新建问题, this opinion alone as
// the carrier of a new problem with the title staff wrote.
func (s *Server) newProblem(c echo.Context) error {
	if !mayGroup(viewer(c)) {
		return echo.ErrForbidden
	}
	var f problemForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	p := s.printer(c)
	title, ok := storage.CleanProblemTitle(f.Title)
	if !ok {
		return s.itemRefused(c, f, p.T("problem.title_invalid", storage.MaxProblemTitle), false)
	}
	u, _ := staffUser(c)
	_, err := s.store.NewProblem(c.Request().Context(), u.ID, c.Param("id"), title)
	if why := refusalIn(p, err); why != "" {
		return s.itemRefused(c, f, why, false)
	}
	if err != nil {
		return err
	}
	return backToItem(c)
}

// groupProblem handles POST /admin/opinions/{id}/problem/group: 归入同一问题 with a similar
// opinion. The person must be able to open both, and the carrier of any problem either is in.
// When neither is in a problem, the form asks for a title and storage makes the problem.
func (s *Server) groupProblem(c echo.Context) error {
	v := viewer(c)
	if !mayGroup(v) {
		return echo.ErrForbidden
	}
	var f problemForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Other = strings.ToUpper(strings.TrimSpace(f.Other))
	ctx := c.Request().Context()
	p := s.printer(c)
	id := c.Param("id")
	// An opinion this person may not open is refused like one that does not exist.
	for _, one := range []string{id, f.Other} {
		if !s.mayOpenWithCarrier(ctx, v, one) {
			return s.itemRefused(c, f, p.T("problem.other_unknown"), false)
		}
	}
	title := ""
	if strings.TrimSpace(f.Title) != "" {
		var ok bool
		if title, ok = storage.CleanProblemTitle(f.Title); !ok {
			return s.itemRefused(c, f, p.T("problem.title_invalid", storage.MaxProblemTitle), true)
		}
	}
	u, _ := staffUser(c)
	_, err := s.store.Group(ctx, u.ID, id, f.Other, title)
	if r := storage.RefusalOf(err); r != nil && r.Reason == storage.RefusedTitle {
		return s.itemRefused(c, f, p.T("problem.title_needed"), true)
	}
	if why := refusalIn(p, err); why != "" {
		return s.itemRefused(c, f, why, false)
	}
	if err != nil {
		return err
	}
	return backToItem(c)
}

// mayOpenWithCarrier reports whether v may open opinion id and, when it is in a problem, the
// problem's carrier: grouping moves work onto the carrier, so both ends must be theirs.
func (s *Server) mayOpenWithCarrier(ctx context.Context, v access.Viewer, id string) bool {
	o, err := s.store.Opinion(ctx, id)
	if err != nil || !s.canSee(ctx, v, o) {
		return false
	}
	if o.MergedInto == "" {
		return true
	}
	carrier, err := s.store.Opinion(ctx, o.MergedInto)
	return err == nil && s.canSee(ctx, v, carrier)
}

// leaveProblem handles POST /admin/opinions/{id}/problem/leave: 移出问题. A member goes back to
// 已分类; a carrier left alone dissolves the problem; a carrier with others is refused.
func (s *Server) leaveProblem(c echo.Context) error {
	if !mayGroup(viewer(c)) {
		return echo.ErrForbidden
	}
	u, _ := staffUser(c)
	err := s.store.Leave(c.Request().Context(), u.ID, c.Param("id"))
	if why := refusalIn(s.printer(c), err); why != "" {
		return s.itemRefused(c, problemForm{}, why, false)
	}
	if err != nil {
		return err
	}
	return backToItem(c)
}

// problemPage is the data of templates/pages/problem.html.
type problemPage struct {
	Problem storage.Problem
	Members []problemMember
	// Hidden is how many of its opinions exist that the viewer may not open (counted, not shown).
	Hidden int
	// CarrierOpen: the viewer may open the carrier, which holds the rectification.
	CarrierOpen bool
	CanRetitle  bool
	Title       string // the title box: the stored title, or what was typed
	Error       string
	Deadline    deadlineView
}

// problemMember is one opinion of a problem as the problem page lists it.
type problemMember struct {
	storage.Opinion
	Carrier bool
	Month   string
	// Messages is how many messages its submitter wrote in its conversation (answers,
	// additions): read on its page, or all together on the carrier's.
	Messages int
}

// showProblem handles GET /admin/problems/{id}: a problem, its opinions the viewer may open,
// and how many others there are. A problem with none they may open answers 404, like one that
// does not exist.
func (s *Server) showProblem(c echo.Context) error {
	return s.renderProblem(c, http.StatusOK, problemPage{})
}

// renderProblem loads the problem of the route's id as the viewer may see it and shows it; the
// fields already set in page (a refused title and why) are kept.
func (s *Server) renderProblem(c echo.Context, status int, page problemPage) error {
	ctx := c.Request().Context()
	v := viewer(c)
	p, err := s.store.Problem(ctx, c.Param("id"), &v)
	if err != nil {
		return err
	}
	members, err := s.store.Members(ctx, p.ID, &v)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		return echo.ErrNotFound
	}
	pr := s.printer(c)
	page.Problem, page.Hidden = p, p.Count-len(members)
	for _, o := range members {
		seen := o.SeenBy(v)
		page.Members = append(page.Members, problemMember{Opinion: seen, Carrier: o.ID == p.Carrier,
			Month: o.CreatedOn[:min(7, len(o.CreatedOn))]})
		page.CarrierOpen = page.CarrierOpen || o.ID == p.Carrier
	}
	ids := make([]string, len(members))
	for i, o := range members {
		ids[i] = o.ID
	}
	said, err := s.store.SubmitterMessageCounts(ctx, ids)
	if err != nil {
		return err
	}
	for i := range page.Members {
		page.Members[i].Messages = said[page.Members[i].ID]
	}
	page.CanRetitle = mayGroup(v) && page.CarrierOpen
	if page.Error == "" {
		page.Title = p.Title
	}
	page.Deadline = s.deadline(p.Status, p.Deadline)
	page.Problem.Deadline = pr.Day(p.Deadline)
	for i := range page.Members {
		page.Members[i].CreatedOn = pr.Day(page.Members[i].CreatedOn)
	}
	return s.render(c, status, "problem", page)
}

// retitleProblem handles POST /admin/problems/{id}/title: the title staff give the problem.
func (s *Server) retitleProblem(c echo.Context) error {
	v := viewer(c)
	ctx := c.Request().Context()
	p, err := s.store.Problem(ctx, c.Param("id"), &v)
	if err != nil {
		return err
	}
	if carrier, err := s.store.Opinion(ctx, p.Carrier); err != nil || !s.canSee(ctx, v, carrier) {
		return echo.ErrNotFound
	}
	if !mayGroup(v) {
		return echo.ErrForbidden
	}
	typed := c.FormValue("title")
	title, ok := storage.CleanProblemTitle(typed)
	if !ok {
		return s.renderProblem(c, http.StatusUnprocessableEntity, problemPage{Title: typed,
			Error: s.printer(c).T("problem.title_invalid", storage.MaxProblemTitle)})
	}
	u, _ := staffUser(c)
	if err := s.store.Retitle(ctx, u.ID, p.ID, title); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/problems/"+url.PathEscape(p.ID))
}

// problemsPage is the data of templates/pages/problems.html: the queue as problems.
type problemsPage struct {
	Problems []problemRow
	Open     bool         // only problems still being worked on
	NextURL  template.URL // the next page, empty on the last
}

// problemRow is one problem of the problems view, with its carrier's deadline in words.
type problemRow struct {
	storage.Problem
	Due deadlineView
}

// showProblemQueue handles GET /admin/queue?view=problems: the problems the person may open a
// member of, most people first.
func (s *Server) showProblemQueue(c echo.Context) error {
	ctx := c.Request().Context()
	v := viewer(c)
	f := storage.ProblemFilter{Scope: &v, Open: c.QueryParam("open") != ""}
	list, err := s.store.ListProblems(ctx, f, storage.ParseProblemCursor(c.QueryParam("after")), problemsPageSize)
	if err != nil {
		return err
	}
	page := problemsPage{Open: f.Open}
	for _, p := range list.Problems {
		page.Problems = append(page.Problems, problemRow{Problem: p, Due: s.deadline(p.Status, p.Deadline)})
	}
	if list.Next.ID != "" {
		q := url.Values{"view": {"problems"}, "after": {list.Next.String()}}
		if f.Open {
			q.Set("open", "1")
		}
		page.NextURL = template.URL("/admin/queue?" + q.Encode())
	}
	return s.render(c, http.StatusOK, "problems", page)
}

// queueProblem is the problem the queue is filtered by, as v may see it; nil for none (or one
// that does not exist: the queue then shows nothing, as for any filter that matches nothing).
func (s *Server) queueProblem(ctx context.Context, f storage.OpinionFilter) (*storage.Problem, error) {
	if f.Problem == "" {
		return nil, nil
	}
	p, err := s.store.Problem(ctx, f.Problem, f.Scope)
	if errors.Is(err, storage.ErrNotFound) || err == nil && len(p.Units) == 0 { // none of it theirs
		return nil, nil
	}
	return &p, err
}
