package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// The conversation with the submitter (#13) on the item page: staff who can open the item ask
// a question or write a message for the submitter, who reads it on /track with the receipt code
// and answers there (public_thread.go). Everything here is shown to the submitter; what staff
// keep to themselves is an internal note.

// threadAuditTerms word the conversation's acts in an item's history: the staff's (audited with
// their time) and the submitter's (public events, by day).
var threadAuditTerms = []vocab.Term{
	auditTerm("ask", "conversation.audit_ask"),
	auditTerm("message", "conversation.audit_message"),
	auditTerm(storage.MessageAnswer, "conversation.audit_answer"),
	auditTerm(storage.MessageAddition, "conversation.audit_addition"),
}

// messageView is one message as a page shows it: its words as the reader may read them, its
// day in the reader's language, and who wrote it in words.
type messageView struct {
	storage.Message
	Who     string     // staff: the user name on the item page, 工作人员 on /track; 留言人 for the submitter
	Label   string     // 提问, 留言, 回答, 补充
	Replies bool       // a question the submitter may still answer (on /track)
	Files   []fileView // its files: all on the item page; on /track only those staff sent
}

// threadView is the conversation part of a page.
type threadView struct {
	Messages []messageView
	Open     bool              // not struck off: the forms are shown
	Form     threadForm        // what was typed, when refused
	Errors   map[string]string // field → message
	// FilesDropped: files were chosen with a refused message; they are not kept on the page.
	FilesDropped bool
}

// threadForm is the staff's message form.
type threadForm struct {
	Kind string `form:"kind"`
	Body string `form:"body"`
}

// Validate returns a message per wrong field.
func (f threadForm) Validate() locale.Fields {
	errs := locale.Fields{}
	if f.Kind != storage.MessageQuestion && f.Kind != storage.MessageMessage {
		errs["kind"] = locale.M("conversation.kind_missing")
	}
	if m := staffTextProblem(f.Body, 1); m.Key != "" {
		errs["body"] = fieldProblem("conversation.field_body", m)
	}
	return errs
}

// messageLabels are the words of each kind of message.
var messageLabels = map[string]string{
	storage.MessageQuestion: "conversation.kind_question",
	storage.MessageMessage:  "conversation.kind_message",
	storage.MessageAnswer:   "conversation.kind_answer",
	storage.MessageAddition: "conversation.kind_addition",
}

// threadViews words msgs in p's language, the submitter's words passed through public (on the
// item page the viewer's PublicText: masked for those who may not see the numbers in them, as
// the opinion's own text is; on /track, the holder of the code reads their own words). Staff
// pages (named) show who on the staff wrote; the submitter's page says only 工作人员. open
// marks the questions the submitter may still answer.
func threadViews(p *locale.Printer, public func(string) string, msgs []storage.Message, named, open bool) []messageView {
	out := make([]messageView, len(msgs))
	for i, m := range msgs {
		mv := messageView{Message: m, Label: p.T(messageLabels[m.Kind])}
		switch {
		case !m.FromStaff():
			mv.Who = p.T("conversation.submitter")
			mv.Body = public(m.Body)
		case named && m.Author != "":
			mv.Who = m.Author
		default:
			mv.Who = p.T("conversation.staff")
		}
		mv.Replies = open && m.Kind == storage.MessageQuestion
		mv.Day = p.Day(m.Day)
		if named || m.FromStaff() { // /track: only the files staff sent
			mv.Files = fileViewsOf(p, m.Files)
		}
		out[i] = mv
	}
	return out
}

// fillThread reads the conversation of o for the item page.
func (s *Server) fillThread(c echo.Context, page *itemPage, o storage.Opinion) error {
	msgs, err := s.store.Thread(c.Request().Context(), o.ID)
	if err != nil {
		return err
	}
	status := o.Status
	if o.MergedInto != "" {
		carrier, err := s.store.Opinion(c.Request().Context(), o.MergedInto)
		if err != nil {
			return err
		}
		status = carrier.Status
	}
	page.Thread.Open = storage.ThreadOpen(status)
	page.Thread.Messages = threadViews(s.printer(c), viewer(c).PublicText, msgs, true, false)
	return nil
}

// postThreadMessage handles POST /admin/opinions/{id}/messages: a question or a message for the
// submitter, from staff who can open the item.
func (s *Server) postThreadMessage(c echo.Context) error {
	var f threadForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.Body = strings.TrimSpace(f.Body)
	p := s.printer(c)
	up := uploadsOf(c) // files for the submitter (attachments.go)
	errs := f.Validate()
	if m := up.problem(); m.Key != "" {
		errs[uploadField] = m
	}
	var files []storage.NewAttachment
	if len(errs) == 0 {
		var m locale.Message
		if files, m = up.clean(); m.Key != "" {
			errs[uploadField] = m
		}
	}
	if len(errs) > 0 {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Thread: threadView{Form: f, Errors: p.Fields(errs),
			FilesDropped: up.dropped()}})
	}
	u, _ := staffUser(c)
	err := s.store.PostStaffMessageFiles(c.Request().Context(), u.ID, c.Param("id"), f.Kind, f.Body, files)
	if errors.Is(err, storage.ErrThreadClosed) {
		return s.renderItem(c, http.StatusConflict, itemPage{Thread: threadView{Form: f, FilesDropped: up.dropped(),
			Errors: p.Fields(locale.Fields{"body": locale.M("conversation.closed_staff")})}})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/opinions/"+c.Param("id")+"#conversation")
}
