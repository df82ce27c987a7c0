// Package export writes the monthly export of opinions as CSV or XLSX, the rectification
// ledgers and the summary of a democratic evaluation.
//
// Every file is written in the language of the staff member who downloads it (Files, made by
// In): headers, sheet names, labels, the counts and dates. What a program or a spreadsheet
// formula may rely on does not move with the language: the columns keep their order and their
// catalog keys (column.*, ColumnKeys), and codes stay codes.
//
// Both monthly writers stream: a handler feeds them one storage.Opinion at a time straight from
// a database cursor, so a large month never has to sit in memory as a slice. Every cell is
// passed through Neutralise because the content is written by anonymous members of the public
// and the files are opened by staff in Excel or WPS, where a cell beginning with "=" would run
// as a formula.
package export

import (
	"strings"
	"time"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/stats"
	"minsheng/storage"
	"minsheng/vocab"
)

// Files writes the export files in one reader's language.
type Files struct {
	p   *locale.Printer
	tax *taxonomy // the tags' words and kinds (WithTags); nil: codes as they are, no tag counts
	// counter counts the XLSX rows for sheet "统计" (WithCounter); nil: one without a store.
	counter *stats.Counter
}

// In returns the writers of files in the language of p.
func In(p *locale.Printer) Files { return Files{p: p} }

// cellKind says how a column is written into XLSX (CSV is text throughout).
type cellKind int

const (
	text cellKind = iota // text, never a number: IDs, contacts and codes keep every digit
	long                 // text people read: wraps inside the column
	date                 // a real date, so it sorts and filters as one
)

// column is one column of the export: the catalog key of its header (column.*), its XLSX width
// in Excel character units and how its cells are written.
type column struct {
	key   string
	width float64
	kind  cellKind
}

// columns is the header row, shared by CSV and XLSX so that both files read the same way and a
// reviewer can switch between them without relearning the layout. New columns go at the end
// so that the positions staff's spreadsheets rely on stay where they were: the rectification
// and the 满意度回访 (牵头单位 … 评价说明) came after 信箱, the taxonomy's tags and flags (具体表现
// … 共性/个性) after 评价说明, the problem (所属问题, its id and title) after 共性/个性, the
// conversation with the submitter after the problem, the campaign (#14) and the answers to its
// questions after the conversation, the staff segment and the person named (#16) after those.
var columns = []column{
	{"column.id", 12, text}, {"column.date", 12, date}, {"column.type", 8, text},
	{"column.unit", 20, text}, {"column.dept", 14, text}, {"column.submitter", 8, text},
	{"column.sifeng", 20, text}, {"column.status", 12, text}, {"column.content", 60, long},
	{"column.contact", 20, text}, {"column.reply", 40, long}, {"column.reply_date", 12, date},
	{"column.channel", 10, text}, {"column.place", 18, text}, {"column.mailbox", 12, text},
	{"column.lead_unit", 20, text}, {"column.responsible", 14, text}, {"column.measures", 40, long},
	{"column.deadline", 12, date}, {"column.kind", 16, text}, {"column.progress", 40, long},
	{"column.checks", 24, long}, {"column.closed_date", 12, date}, {"column.rating", 10, text},
	{"column.rating_note", 30, long}, {"column.manifestations", 24, long}, {"column.families", 24, long},
	{"column.nature", 10, text}, {"column.reach", 10, text},
	{"problem.export_column", 30, long}, {"conversation.export_column", 40, long},
	{"campaign.export_column", 24, text}, {"campaign.export_answers_column", 40, long},
	{"form16.segment", 12, text}, {"form16.target", 30, text},
}

// ColumnKeys are the catalog keys of the columns, in order: the names of the columns that stay
// the same whatever the language of the file.
var ColumnKeys = func() []string {
	keys := make([]string, len(columns))
	for i, c := range columns {
		keys[i] = c.key
	}
	return keys
}()

// Header is the header row in the files' language.
func (f Files) Header() []string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = f.p.T(c.key)
	}
	return names
}

// Columns is the header as the default language writes it: the files of a staff member who
// has not chosen a language.
var Columns = In(locale.Get(locale.Default)).Header()

// cells returns the row for r in Columns order, already neutralised. Both formats share it so
// they cannot drift apart. Dates are YYYY-MM-DD here; each writer turns them into its own.
func (f Files) cells(r storage.ExportRow) []string {
	o, rect, p := r.Opinion, r.Rect, f.p
	row := []string{
		o.ID,
		o.CreatedOn,
		vocab.LabelIn(p, vocab.Types, o.Type),
		unitLabel(o),
		o.Dept,
		vocab.LabelIn(p, vocab.Submitters, o.Submitter),
		f.styleLabels(o.Styles),
		lifecycle.LabelIn(p, o.Status),
		o.Content,
		o.Contact,
		o.Reply,
		o.RepliedOn,
		vocab.LabelIn(p, vocab.Channels, channelOf(o)),
		o.Site,
		o.MailboxName,
		rect.LeadUnitName,
		rect.Responsible,
		rect.Measures,
		rect.Deadline,
		f.termLabel(lifecycle.Kinds, rect.Kind),
		rect.Report,
		f.checkResult(rect),
		rect.ClosedOn,
		f.termLabel(lifecycle.Ratings, r.Rating.Rating),
		r.Rating.Words,
		f.tagLabels(o.Tags, storage.TagManifestation),
		f.tagLabels(o.Tags, storage.TagFamily),
		f.flagLabel(natures, o.Nature),
		f.flagLabel(reaches, o.Reach),
		f.problemCell(r),
		f.threadCell(r.Thread),
		r.CampaignName,
		f.answersCell(r.Answers),
		vocab.LabelIn(p, vocab.Segments, o.Segment),
		vocab.DescribeTarget(p, o.Target.Kind, o.Target.Post, o.Target.Badge),
	}
	for i, s := range row {
		row[i] = Neutralise(s)
	}
	return row
}

// day writes a stored day (YYYY-MM-DD) as the files of this language write dates
// (export.date_layout): 2026-04-09 in Chinese, as the files always had it, and 9 Apr 2026 in
// English, as locale.Printer.Date writes it. What is not a day is kept as it was stored.
func (f Files) day(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return d.Format(f.p.T("export.date_layout"))
}

// checkResult is the latest 核验 or 回头看 in words; a failed one carries its reason, which is
// the rectification's latest note until the work is checked again.
func (f Files) checkResult(r storage.Rectification) string {
	if r.Checked == "" {
		return ""
	}
	label := vocab.LabelIn(f.p, lifecycle.Checks, r.Checked)
	if (r.Checked == lifecycle.CheckUnverified || r.Checked == lifecycle.CheckFailed) && r.Note != "" {
		return f.p.T("export.check_with_reason", label, r.Note)
	}
	return label
}

// termLabel is the label of code, "" for no code.
func (f Files) termLabel(terms []lifecycle.Term, code string) string {
	if code == "" {
		return ""
	}
	return vocab.LabelIn(f.p, terms, code)
}

// channelOf is o's channel code; an opinion read without one came through the web form, the
// only channel before channels were recorded.
func channelOf(o storage.Opinion) string {
	if o.Channel == "" {
		return "web"
	}
	return o.Channel
}

// unitLabel is the unit's name, or its code when the name was not filled in (a unit deleted or
// renamed since), so the cell is never blank for an opinion that does belong somewhere.
func unitLabel(o storage.Opinion) string {
	if o.UnitName != "" {
		return o.UnitName
	}
	return o.UnitCode
}

// styleLabels joins the names of the styles as the language joins a list (the enumeration
// comma 、 in Chinese); it is empty for an untagged opinion so that "no style" is visibly
// different from a style.
func (f Files) styleLabels(codes []string) string {
	labels := make([]string, len(codes))
	for i, c := range codes {
		labels[i] = sifeng.LabelIn(f.p, c)
	}
	return strings.Join(labels, f.p.T("export.list_separator"))
}

// problemCell is the problem an opinion is in, its id then its title; "" for none. The id comes
// first so that a spreadsheet can sort and count by it.
func (f Files) problemCell(r storage.ExportRow) string {
	if r.ProblemID == "" {
		return ""
	}
	return f.p.T("problem.export_cell", r.ProblemID, r.ProblemTitle)
}

// threadCell is the conversation with the submitter, a message a line in reading order: its
// day, its kind and side, its words. Staff are not named (the item page names them).
func (f Files) threadCell(msgs []storage.Message) string {
	lines := make([]string, len(msgs))
	for i, m := range msgs {
		who := f.p.T("conversation.submitter")
		if m.FromStaff() {
			who = f.p.T("conversation.staff")
		}
		lines[i] = f.p.T("conversation.export_line", f.day(m.Day), f.p.T(threadKinds[m.Kind]), who, m.Body)
	}
	return strings.Join(lines, "\n")
}

// threadKinds are the words of each kind of message.
var threadKinds = map[string]string{
	storage.MessageQuestion: "conversation.kind_question",
	storage.MessageMessage:  "conversation.kind_message",
	storage.MessageAnswer:   "conversation.kind_answer",
	storage.MessageAddition: "conversation.kind_addition",
}

// answersCell is the answers to the campaign's questions, one a line: the question, then the
// answer.
func (f Files) answersCell(answers []storage.CampaignAnswer) string {
	lines := make([]string, len(answers))
	for i, a := range answers {
		lines[i] = f.p.T("campaign.export_answer", a.Question, a.Answer)
	}
	return strings.Join(lines, "\n")
}
