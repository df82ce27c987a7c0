package report

import (
	"minsheng/locale"
	"minsheng/stats"
)

// The conversation with the submitters (#13) in a report: how often staff asked, how the
// submitters answered and added, the files they sent; against the periods compared, and by
// unit for this period. Counts only, like every figure of a report: no message's words.

// conversationRows are the compared lines, in their order.
var conversationRows = []string{"questions", "messages", "answers", "additions", "files"}

// conversationOf is one line's count in f.
func conversationOf(f *stats.Figures, code string) int {
	x := f.Conversation
	return map[string]int{"questions": x.Questions, "messages": x.Messages, "answers": x.Answers,
		"additions": x.Additions, "files": x.Files}[code]
}

func conversationSection(r *Report, p *locale.Printer) Section {
	c := r.Figures
	s := Section{Key: "conversation", Title: p.T("report.section.conversation"), Text: p.T("report.conversation.note")}
	labels := map[string]string{"questions": p.T("report.row.conv_questions"), "messages": p.T("report.row.conv_messages"),
		"answers": p.T("report.row.conv_answers"), "additions": p.T("report.row.conv_additions"), "files": p.T("report.row.conv_files")}
	rows := comparedRows(c, conversationRows, func(code string) string { return labels[code] }, conversationOf)
	s.Tables = append(s.Tables, comparisonTable(p, "conversation", p.T("report.table.conversation"), p.T("report.col.item"), rows))
	units := Table{Key: "conversation-units", Title: p.T("report.table.conversation_units"), Header: []string{p.T("report.col.unit"),
		labels["questions"], labels["messages"], labels["answers"], labels["additions"], labels["files"]}}
	for _, u := range c.Current.Conversation.ByUnit {
		units.Rows = append(units.Rows, []string{r.unitName(u.Code), p.Number(u.Questions), p.Number(u.Messages),
			p.Number(u.Answers), p.Number(u.Additions), p.Number(u.Files)})
	}
	s.Tables = append(s.Tables, units)
	return s
}

// conversationSentence is the narrative's line on the conversation, "" when there was none.
func conversationSentence(f *stats.Figures, p *locale.Printer) string {
	x := f.Conversation
	if x.Questions+x.Messages+x.Answers+x.Additions+x.Files == 0 {
		return ""
	}
	return p.T("report.basics.conversation", x.Questions, x.Answers, x.Additions, x.Files)
}
