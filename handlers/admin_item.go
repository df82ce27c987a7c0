package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
)

// maxStaffText is the longest reply or note, in characters.
const maxStaffText = 5000

// itemPage is the data of templates/pages/item.html.
type itemPage struct {
	Opinion       storage.Opinion
	Rectification storage.Rectification
	Deadline      deadlineView
	Notes         []storage.Note
	History       []historyLine
	Ratings       []storage.ItemRating // the submitters' ratings, with what they wrote
	Styles        []sifeng.Style
	Hints         []sifeng.Hint // styles the content's words suggest: advice, nothing is ticked
	NextStatuses  []lifecycle.Status
	Units         []storage.Unit
	Levels        []lifecycle.Term
	Kinds         []lifecycle.Term
	Ledgers       []lifecycle.Term
	Today         string
	Reply         string // the reply box: the stored reply, or what the reviewer typed
	Note          string // the note box after a failed submit
	Errors        map[string]string
	Step          stepForm                     // what the reviewer typed into a step form
	StepErrors    map[string]map[string]string // status → field → message, for the step tried
	Message       string
	Can           map[string]bool // access actions the viewer may take here
	Publication   storage.Publication
	Redacted      bool // personal data in the content was masked for this viewer
	Sheet         bool // handed to a unit: the 交办单 can be printed
}

// showOpinion handles GET /admin/opinions/{id}.
func (s *Server) showOpinion(c echo.Context) error {
	return s.renderItem(c, http.StatusOK, itemPage{})
}

// renderItem loads the opinion and shows it; fields already set in page (errors, what the
// reviewer typed) are kept.
func (s *Server) renderItem(c echo.Context, status int, page itemPage) error {
	ctx := c.Request().Context()
	o, err := s.store.Opinion(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if page.Notes, err = s.store.Notes(ctx, o.ID); err != nil {
		return err
	}
	audit, err := s.store.AuditOf(ctx, o.ID)
	if err != nil {
		return err
	}
	page.History = history(audit)
	if page.Ratings, err = s.store.RatingsOf(ctx, o.ID); err != nil {
		return err
	}
	if page.Rectification, err = s.store.Rectification(ctx, o.ID); err != nil {
		return err
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	if page.Publication.Title == "" && page.Errors == nil {
		if page.Publication, err = s.store.PublicationOf(ctx, o.ID); err != nil {
			return err
		}
	}
	v := viewer(c)
	page.Opinion, page.Styles = o, sifeng.Styles
	page.Hints = sifeng.Suggest(o.Content)
	for _, next := range lifecycle.Next(o.Status) {
		if v.CanMove(o.Status, next.Code) {
			page.NextStatuses = append(page.NextStatuses, next)
		}
	}
	page.Can = map[string]bool{}
	for _, a := range []string{access.Tag, access.Reply, access.Note, access.SeeContact} {
		page.Can[a] = v.Can(a)
	}
	// The contact and the numbers in the text as every page and file shows them to v (access):
	// left out or masked on the server, so they never reach the browser; the database keeps
	// the original for those who must act on it.
	page.Opinion = o.SeenBy(v)
	page.Redacted = page.Opinion.Content != o.Content
	// The latest note may quote the submitter (a 不满意 with their words): public text.
	page.Rectification.Note = v.PublicText(page.Rectification.Note)
	for i := range page.Ratings { // a submitter may write a number with the rating too
		page.Ratings[i].Words = v.PublicText(page.Ratings[i].Words)
	}
	page.Levels, page.Kinds, page.Ledgers = lifecycle.Levels, lifecycle.Kinds, lifecycle.Ledgers
	page.Today = s.store.Today()
	page.Deadline = s.deadline(o.Status, page.Rectification.Deadline)
	page.Sheet = sheetPrintable(o.Status, page.Rectification.LeadUnit)
	if _, typed := page.Errors["reply"]; !typed {
		page.Reply = o.Reply
	}
	return s.render(c, status, "item", page)
}

// historyLine is one line of an item's 处理记录, in words.
type historyLine struct{ When, Who, What, Detail string }

// history words an item's audit rows. What a submitter did (their rating) carries no name and
// only its date (storage keeps no more), like everything about a submitter; other rows without a staff member were
// made by the system (the command line).
func history(entries []storage.AuditEntry) []historyLine {
	out := make([]historyLine, 0, len(entries))
	for _, a := range entries {
		l := historyLine{When: a.At.In(displayZone).Format("2006-01-02 15:04"), Who: a.Username,
			What: auditLabel(a.Action), Detail: auditDetail(a.Action, a.Detail)}
		switch {
		case a.Public:
			l.When, l.Who = a.Day+"（只记日期）", "留言人"
		case l.Who == "":
			l.Who = "系统"
		}
		out = append(out, l)
	}
	return out
}

// backToItem redirects to the opinion's page after a change (Post/Redirect/Get).
func backToItem(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/opinions/"+c.Param("id"))
}

// tagOpinion handles POST /admin/opinions/{id}/styles: the four-styles tags, any number or none.
func (s *Server) tagOpinion(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	styles := form["style"]
	for _, st := range styles {
		if !sifeng.Valid(st) {
			return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Errors: map[string]string{"style": "请只从四风中选择。"}})
		}
	}
	u, _ := staffUser(c)
	if err := s.store.SetStyles(c.Request().Context(), u.ID, c.Param("id"), styles); err != nil {
		return err
	}
	return backToItem(c)
}

// replyToOpinion handles POST /admin/opinions/{id}/reply: the answer the submitter sees on /track.
func (s *Server) replyToOpinion(c echo.Context) error {
	reply := strings.TrimSpace(c.FormValue("reply"))
	if msg := checkStaffText(reply); msg != "" {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Reply: reply, Errors: map[string]string{"reply": "答复" + msg}})
	}
	u, _ := staffUser(c)
	if err := s.store.SetReply(c.Request().Context(), u.ID, c.Param("id"), reply); err != nil {
		return err
	}
	return backToItem(c)
}

// addNote handles POST /admin/opinions/{id}/note: an internal note the submitter never sees.
func (s *Server) addNote(c echo.Context) error {
	note := strings.TrimSpace(c.FormValue("note"))
	if msg := checkStaffText(note); msg != "" {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Note: note, Errors: map[string]string{"note": "备注" + msg}})
	}
	u, _ := staffUser(c)
	if err := s.store.AddNote(c.Request().Context(), u.ID, c.Param("id"), note); err != nil {
		return err
	}
	return backToItem(c)
}

func checkStaffText(s string) string {
	if s == "" {
		return "不能为空。"
	}
	return checkText(s, 1, maxStaffText)
}
