package handlers

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/redact"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// The 交办单 prints on one A4 page whatever was typed: longer texts are cut there, with a
// pointer to the full text on the item page (opinions may run to 5,000 characters).
const (
	sheetContentChars  = 240
	sheetMeasuresChars = 120
)

// sheetPage is the data of templates/pages/sheet.html: the 交办单 (assignment sheet) of one
// opinion, the paper the office hands the lead unit with the task (整改任务书): what was
// reported, who leads, by when, what must be done, and lines to sign.
type sheetPage struct {
	Opinion       storage.Opinion
	Rectification storage.Rectification
	Deadline      deadlineView
	Content       sheetText // what the person wrote, masked as this viewer may see it
	Measures      sheetText
	AssignedOn    string // the day of the latest 交办
	AssignedBy    string
	PrintedOn     string
	Redacted      bool
	// Classified is the level and the four styles in one line; ContentNote says, under the
	// text, what was cut and masked; both in the reader's language ("" when nothing was).
	Classified  string
	ContentNote string
	TagLabels   []string // the opinion's manifestation and family tags, in the reader's words
}

// sheetText is a text cut to fit the sheet: Cut characters were left out.
type sheetText struct {
	Text       string
	Cut, Total int
}

func cutForSheet(s string, max int) sheetText {
	n := utf8.RuneCountInString(s)
	if n <= max {
		return sheetText{Text: s, Total: n}
	}
	return sheetText{Text: string([]rune(s)[:max]) + "……", Cut: n - max, Total: n}
}

// sheetPrintable reports whether an opinion has been handed to a unit (交办) and not taken
// back: from 已交办 to 已销号 along the procedure. An opinion sent back to 已分类 keeps its
// old lead unit in storage, but there is no task to hand over.
func sheetPrintable(status, leadUnit string) bool {
	if leadUnit == "" {
		return false
	}
	switch status {
	case lifecycle.Assigned, lifecycle.Rectifying, lifecycle.Reported, lifecycle.LookBack,
		lifecycle.Satisfaction, lifecycle.Closed:
		return true
	}
	return false
}

// showSheet handles GET /admin/opinions/{id}/sheet: the printable 交办单 (static/style.css
// prints it alone on one A4 page). Whoever may open the item may print it; the opinion's text
// is masked as on their item page, and the submitter's contact is never printed: the paper
// travels to the unit, the contact stays with the office.
func (s *Server) showSheet(c echo.Context) error {
	ctx := c.Request().Context()
	o, err := s.store.Opinion(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	r, err := s.store.Rectification(ctx, o.ID)
	if err != nil {
		return err
	}
	if !sheetPrintable(o.Status, r.LeadUnit) {
		pr := s.printer(c)
		return s.render(c, http.StatusConflict, "error", errorPage{pr.T("sheet.not_yet_title"), pr.T("sheet.not_yet")})
	}
	// Printing a 举报's 交办单 opens it as much as its page does: recorded first.
	u, _ := staffUser(c)
	if err := s.store.RecordOpened(ctx, u.ID, o.ID, "sheet"); err != nil {
		return err
	}
	audit, err := s.store.AuditOf(ctx, o.ID)
	if err != nil {
		return err
	}
	p := sheetPage{Opinion: o, Rectification: r, Deadline: s.deadline(o.Status, r.Deadline), PrintedOn: s.store.Today()}
	for _, a := range audit { // the latest 交办 wins: work can be taken back and handed out again
		if a.Action == "status" && strings.HasSuffix(a.Detail, "→"+lifecycle.Assigned) {
			p.AssignedOn, p.AssignedBy = a.At.In(displayZone).Format("2006-01-02"), a.Username
		}
	}
	content := o.Content
	if !viewer(c).Can(access.SeeIdentifiers) {
		content = redact.Mask(content)
		p.Redacted = content != o.Content
	}
	p.Opinion.Contact = ""
	t, err := s.taxonomy(c)
	if err != nil {
		return err
	}
	for _, code := range o.Tags {
		p.TagLabels = append(p.TagLabels, t.Label(code))
	}
	p.Content, p.Measures = cutForSheet(content, sheetContentChars), cutForSheet(r.Measures, sheetMeasuresChars)
	p.words(s.printer(c))
	return s.render(c, http.StatusOK, "sheet", p)
}

// words fills the sheet's sentences and writes its stored days in pr's language. It runs
// last: the deadline's working days are counted from the stored day before.
func (p *sheetPage) words(pr *locale.Printer) {
	level := pr.T("item.level_none")
	if p.Opinion.Level != "" {
		level = vocab.LabelIn(pr, lifecycle.Levels, p.Opinion.Level)
	}
	styles := make([]string, len(p.Opinion.Styles))
	for i, code := range p.Opinion.Styles {
		styles[i] = sifeng.LabelIn(pr, code)
	}
	tagged := strings.Join(styles, pr.T("item.list_sep"))
	if tagged == "" {
		tagged = pr.T("sheet.no_styles")
	}
	p.Classified = pr.T("sheet.classified", level, tagged)
	if len(p.TagLabels) > 0 {
		p.Classified = pr.T("item_tags.sheet_classified", level, tagged, strings.Join(p.TagLabels, pr.T("item.list_sep")))
	}

	var notes []string
	if p.Content.Cut > 0 {
		notes = append(notes, pr.T("sheet.cut", p.Content.Total))
	}
	if p.Redacted {
		notes = append(notes, pr.T("item.redacted"))
	}
	if len(notes) > 0 {
		p.ContentNote = pr.T("sheet.note", strings.Join(notes, pr.T("sheet.note_sep")))
	}

	for _, day := range []*string{&p.Opinion.CreatedOn, &p.AssignedOn, &p.PrintedOn, &p.Rectification.Deadline} {
		*day = pr.Day(*day)
	}
}
