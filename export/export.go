// Package export writes the monthly export of opinions as CSV or XLSX.
//
// Both writers stream: a handler feeds them one storage.Opinion at a time straight from a
// database cursor, so a large month never has to sit in memory as a slice. Every cell is passed
// through Neutralise because the content is written by anonymous members of the public and the
// files are opened by staff in Excel or WPS, where a cell beginning with "=" would run as a formula.
package export

import (
	"strings"

	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// cellKind says how a column is written into XLSX (CSV is text throughout).
type cellKind int

const (
	text cellKind = iota // text, never a number: IDs, contacts and codes keep every digit
	long                 // text people read: wraps inside the column
	date                 // a real date, so it sorts and filters as one
)

// col makes a column whose header is the catalog's message of key (column.*), in zh-CN for now:
// the keys stay stable when the header is written in the reader's language.
func col(key string, width float64, kind cellKind) column {
	return column{name: locale.Get(locale.Default).T(key), width: width, kind: kind}
}

// column is one column of the export: its header, its XLSX width in Excel character units and
// how its cells are written.
type column struct {
	name  string
	width float64
	kind  cellKind
}

// columns is the header row, shared by CSV and XLSX so that both files read the same way and a
// reviewer can switch between them without relearning the layout. New columns go at the end
// so that the positions staff's spreadsheets rely on stay where they were: the rectification
// and the 满意度回访 (牵头单位 … 评价说明) came after 信箱.
var columns = []column{
	col("column.id", 12, text), col("column.date", 12, date), col("column.type", 8, text),
	col("column.unit", 20, text), col("column.dept", 14, text), col("column.submitter", 8, text),
	col("column.sifeng", 20, text), col("column.status", 12, text), col("column.content", 60, long),
	col("column.contact", 20, text), col("column.reply", 40, long), col("column.reply_date", 12, date),
	col("column.channel", 10, text), col("column.place", 18, text), col("column.mailbox", 12, text),
	col("column.lead_unit", 20, text), col("column.responsible", 14, text), col("column.measures", 40, long),
	col("column.deadline", 12, date), col("column.kind", 16, text), col("column.progress", 40, long),
	col("column.checks", 24, long), col("column.closed_date", 12, date), col("column.rating", 10, text),
	col("column.rating_note", 30, long),
}

// Columns are the header names, in order.
var Columns = func() []string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.name
	}
	return names
}()

// cells returns the row for r in Columns order, already neutralised. Both formats share it so
// they cannot drift apart. Dates are YYYY-MM-DD text here; the XLSX writer turns them into dates.
func cells(r storage.ExportRow) []string {
	o, rect := r.Opinion, r.Rect
	row := []string{
		o.ID,
		o.CreatedOn,
		vocab.Label(vocab.Types, o.Type),
		unitLabel(o),
		o.Dept,
		vocab.Label(vocab.Submitters, o.Submitter),
		styleLabels(o.Styles),
		lifecycle.Label(o.Status),
		o.Content,
		o.Contact,
		o.Reply,
		o.RepliedOn,
		vocab.Label(vocab.Channels, channelOf(o)),
		o.Site,
		o.MailboxName,
		rect.LeadUnitName,
		rect.Responsible,
		rect.Measures,
		rect.Deadline,
		termLabel(lifecycle.Kinds, rect.Kind),
		rect.Report,
		checkResult(rect),
		rect.ClosedOn,
		termLabel(lifecycle.Ratings, r.Rating.Rating),
		r.Rating.Words,
	}
	for i, s := range row {
		row[i] = Neutralise(s)
	}
	return row
}

// checkResult is the latest 核验 or 回头看 in words; a failed one carries its reason, which is
// the rectification's latest note until the work is checked again.
func checkResult(r storage.Rectification) string {
	if r.Checked == "" {
		return ""
	}
	label := lifecycle.TermLabel(lifecycle.Checks, r.Checked)
	if (r.Checked == lifecycle.CheckUnverified || r.Checked == lifecycle.CheckFailed) && r.Note != "" {
		label += "：" + r.Note
	}
	return label
}

// termLabel is the label of code, "" for no code.
func termLabel(terms []lifecycle.Term, code string) string {
	if code == "" {
		return ""
	}
	return lifecycle.TermLabel(terms, code)
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

// styleLabels joins the Chinese names of the styles with the enumeration comma used in Chinese
// lists; it is empty for an untagged opinion so that "no style" is visibly different from a style.
func styleLabels(codes []string) string {
	labels := make([]string, len(codes))
	for i, c := range codes {
		labels[i] = sifeng.Label(c)
	}
	return strings.Join(labels, "、")
}
