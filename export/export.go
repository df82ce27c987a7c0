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
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// Columns is the header row, shared by CSV and XLSX so that both files read the same way and a
// reviewer can switch between them without relearning the layout. New columns go at the end so
// that the positions staff's spreadsheets rely on stay where they were.
var Columns = []string{"编号", "日期", "类型", "单位", "科室", "身份", "四风", "状态", "内容", "联系方式", "答复", "答复日期", "渠道", "地点", "信箱"}

// cells returns the row for o in Columns order, already neutralised. Both formats share it so
// they cannot drift apart.
func cells(o storage.Opinion) []string {
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
	}
	for i, s := range row {
		row[i] = Neutralise(s)
	}
	return row
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
