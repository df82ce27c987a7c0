package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
)

// maxStaffText is the longest reply or note, in characters.
const maxStaffText = 5000

// itemPage is the data of templates/pages/item.html.
type itemPage struct {
	Opinion       storage.Opinion
	Campaign      *itemCampaign // the campaign it arrived in, nil for none (admin_item_campaign.go)
	Rectification storage.Rectification
	Deadline      deadlineView
	Notes         []storage.Note
	History       []historyLine
	Ratings       []storage.ItemRating // the submitters' ratings, with what they wrote
	Tagging       taggingView          // the tagging form (admin_item_tags.go)
	Sent          *taggingForm         // what the reviewer sent in it, when refused
	Suggestions   []suggestionView     // the model's, not accepted yet
	Tags          []tagBox             // the opinion's tags, for the summary
	Attributes    string               // its feature 30 flags in words, for the summary
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
	Redacted      bool        // personal data in the content was masked for this viewer
	Sheet         bool        // handed to a unit: the 交办单 can be printed
	Grouping      itemProblem // the problem (问题) it is in, grouping and splitting (admin_problem.go)
	Files         []fileView  // its attachments (attachments.go)
	Thread        threadView  // the conversation with the submitter (admin_thread.go)
	// Merged is, on a carrier's page, what the submitters of the opinions merged into it wrote
	// in their own conversations (admin_merged_threads.go).
	Merged []mergedThread

	// The draft plan it comments on (两方案一计划, #14): its id and title, 0 for none.
	PlanID    int64
	PlanTitle string
	// The report's draft it comments on (feature 63): the consultation's id and title, 0 for none.
	ReportDraftID int64
	// Symposium is the meeting (座谈会) it was raised at, for a reader who may open meetings; 0 else.
	Symposium        int64
	ReportDraftTitle string
}

// showOpinion handles GET /admin/opinions/{id}.
func (s *Server) showOpinion(c echo.Context) error {
	// Opening a 举报 (or a discipline-mailbox letter) is recorded before the page is sent.
	u, _ := staffUser(c)
	if err := s.store.RecordOpened(c.Request().Context(), u.ID, c.Param("id"), "item"); err != nil {
		return err
	}
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
	p := s.printer(c)
	page.History = history(p, audit)
	if page.Ratings, err = s.store.RatingsOf(ctx, o.ID); err != nil {
		return err
	}
	if page.Rectification, err = s.store.Rectification(ctx, o.ID); err != nil {
		return err
	}
	if page.Units, err = s.store.Units(ctx); err != nil {
		return err
	}
	if page.PlanID, page.PlanTitle, err = s.store.PlanOfComment(ctx, o.ID); err != nil {
		return err
	}
	if page.ReportDraftID, page.ReportDraftTitle, err = s.store.ConsultationOfComment(ctx, o.ID); err != nil {
		return err
	}
	if page.Symposium, err = s.symposiumLink(c, o); err != nil {
		return err
	}
	if page.Publication.Title == "" && page.Errors == nil {
		if page.Publication, err = s.store.PublicationOf(ctx, o.ID); err != nil {
			return err
		}
	}
	v := viewer(c)
	for _, next := range lifecycle.Next(o.Status) {
		if v.CanMove(o.Status, next.Code) {
			page.NextStatuses = append(page.NextStatuses, next)
		}
	}
	page.Can = map[string]bool{}
	for _, a := range []string{access.Tag, access.Reply, access.Note, access.SeeContact, access.Accountability} {
		page.Can[a] = v.Can(a)
	}
	// The contact and the numbers in the text as every page and file shows them to v (access):
	// left out or masked on the server, so they never reach the browser; the database keeps
	// the original for those who must act on it.
	page.Opinion = o.SeenBy(v)
	page.Redacted = page.Opinion.Content != o.Content
	if err := s.fillTags(c, &page, o, audit); err != nil {
		return err
	}
	// The latest note may quote the submitter (a 不满意 with their words): public text.
	page.Rectification.Note = v.PublicText(noteIn(p, page.Rectification.Note))
	for i := range page.Ratings { // a submitter may write a number with the rating too
		page.Ratings[i].Words = v.PublicText(page.Ratings[i].Words)
	}
	page.Levels, page.Kinds, page.Ledgers = lifecycle.Levels, lifecycle.Kinds, lifecycle.Ledgers
	page.Today = s.store.Today()
	page.Deadline = s.deadline(o.Status, page.Rectification.Deadline)
	if err := s.fillCampaign(c, &page, o); err != nil {
		return err
	}
	page.Sheet = sheetPrintable(o.Status, page.Rectification.LeadUnit)
	if _, typed := page.Errors["reply"]; !typed {
		page.Reply = o.Reply
	}
	if err := s.fillProblem(c, &page, o); err != nil {
		return err
	}
	if page.Files, err = s.fileViews(c, o.ID); err != nil {
		return err
	}
	if err := s.fillThread(c, &page, o); err != nil {
		return err
	}
	if err := s.fillMergedThreads(c, &page, o); err != nil {
		return err
	}
	page.showDays(p)
	return s.render(c, status, "item", page)
}

// showDays writes the page's stored days (YYYY-MM-DD) as the reader's language writes them.
// It runs last: the deadline's working days are counted from the stored day before.
func (page *itemPage) showDays(p *locale.Printer) {
	for _, day := range []*string{&page.Opinion.CreatedOn, &page.Opinion.ReceivedOn, &page.Opinion.RepliedOn,
		&page.Rectification.Deadline, &page.Rectification.ClosedOn, &page.Publication.PublishedOn} {
		*day = p.Day(*day)
	}
	for i := range page.Ratings {
		page.Ratings[i].RatedOn = p.Day(page.Ratings[i].RatedOn)
	}
}

// historyLine is one line of an item's 处理记录, in words.
type historyLine struct{ When, Who, What, Detail string }

// history words an item's audit rows in p's language. What a submitter did (their rating)
// carries no name and only its date (storage keeps no more), like everything about a
// submitter; other rows without a staff member were made by the system (the command line).
func history(p *locale.Printer, entries []storage.AuditEntry) []historyLine {
	out := make([]historyLine, 0, len(entries))
	for _, a := range entries {
		at := a.At.In(displayZone)
		l := historyLine{When: p.T("history.at", p.Day(at.Format("2006-01-02")), at.Format("15:04")),
			Who: a.Username, What: auditLabel(p, a.Action), Detail: auditDetail(p, a.Action, a.Detail)}
		switch {
		case a.Public:
			l.When, l.Who = p.T("history.day_only", p.Day(a.Day)), p.T("history.submitter")
		case l.Who == "":
			l.Who = p.T("history.system")
		}
		out = append(out, l)
	}
	return out
}

// auditWords are the codes storage writes into audit details (the flags, the leadership box of
// a classification), said in the reader's language by key.
var auditWords = map[string]string{
	storage.FlagAccountability: "history.flag_accountability",
	storage.FlagUnfounded:      "history.flag_unfounded",
	storage.FlagSubstantiated:  "history.flag_substantiated",
	storage.AboutLeadership:    "history.about_leadership",
}

// storedWord writes a code of auditWords, or a word of an older version's details (oldWords),
// in p's language; any other word is kept as it is.
func storedWord(p *locale.Printer, word string) string {
	if key, ok := auditWords[word]; ok {
		return p.T(key)
	}
	if key, ok := oldWords[word]; ok {
		return p.T(key)
	}
	return word
}

// noteIn says a rectification's latest note in p's language: the note storage writes when a
// submitter's 不满意 sends the work back (storage.DissatisfiedNote, or its Chinese from before
// #17) in words with what the submitter wrote; any other note is staff's words, kept as written.
func noteIn(p *locale.Printer, note string) string {
	words, ok := storage.DissatisfiedWords(note)
	if !ok {
		var rest string
		if rest, ok = strings.CutPrefix(note, oldDissatisfiedNote); ok {
			words = strings.TrimPrefix(rest, oldNoteSeparator)
		}
	}
	switch {
	case !ok:
		return note
	case words == "":
		return p.T("item.note_dissatisfied")
	}
	return p.T("item.note_dissatisfied_words", words)
}

// backToItem redirects to the opinion's page after a change (Post/Redirect/Get).
func backToItem(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/admin/opinions/"+c.Param("id"))
}

// replyToOpinion handles POST /admin/opinions/{id}/reply: the answer the submitter sees on /track.
func (s *Server) replyToOpinion(c echo.Context) error {
	reply := strings.TrimSpace(c.FormValue("reply"))
	if m := staffTextProblem(reply, 1); m.Key != "" {
		p := s.printer(c)
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Reply: reply,
			Errors: map[string]string{"reply": p.Msg(fieldProblem("item.field_reply", m))}})
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
	if m := staffTextProblem(note, 1); m.Key != "" {
		p := s.printer(c)
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Note: note,
			Errors: map[string]string{"note": p.Msg(fieldProblem("item.field_note", m))}})
	}
	u, _ := staffUser(c)
	if err := s.store.AddNote(c.Request().Context(), u.ID, c.Param("id"), note); err != nil {
		return err
	}
	return backToItem(c)
}

// staffTextProblem checks a text staff typed: at least min characters (min 1: it may not be
// empty) and at most maxStaffText; the zero Message when it is fine.
func staffTextProblem(s string, min int) locale.Message {
	if s == "" && min > 0 {
		return locale.M("item.empty")
	}
	return textProblem(s, min, maxStaffText)
}
