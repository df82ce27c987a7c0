package storage

import "minsheng/access"

// The methods here apply the one rule of access (Viewer.Contact, Viewer.PublicText) to what
// storage returns, so that every page and every file shows a submitter's personal data the
// same way: handlers call them on whatever they are about to show or write.

// SeenBy is o as v may read it: the contact only for those who may reach the person, numbers
// in the text masked for those who may not see them.
func (o Opinion) SeenBy(v access.Viewer) Opinion {
	o.Contact, o.Content = v.Contact(o.Contact), v.PublicText(o.Content)
	return o
}

// SeenBy is r as v may read it: the opinion, and the words of the submitter's rating and
// messages.
func (r ExportRow) SeenBy(v access.Viewer) ExportRow {
	r.Opinion = r.Opinion.SeenBy(v)
	r.Rating.Words = v.PublicText(r.Rating.Words)
	if r.Thread != nil {
		thread := make([]Message, len(r.Thread))
		for i, m := range r.Thread {
			if !m.FromStaff() {
				m.Body = v.PublicText(m.Body)
			}
			thread[i] = m
		}
		r.Thread = thread
	}
	if r.Answers != nil {
		answers := make([]CampaignAnswer, len(r.Answers))
		for i, a := range r.Answers {
			a.Answer = v.PublicText(a.Answer)
			answers[i] = a
		}
		r.Answers = answers
	}
	return r
}

// SeenBy is the summary as v may read it: what attendees wrote, masked like an opinion's text.
// The slices are copied: a summary may be shared.
func (sum EvaluationSummary) SeenBy(v access.Viewer) EvaluationSummary {
	sum.Suggestions = publicTexts(v, sum.Suggestions)
	styles := make([]StyleSummary, len(sum.Styles))
	for i, st := range sum.Styles {
		st.Others = publicTexts(v, st.Others)
		styles[i] = st
	}
	sum.Styles = styles
	return sum
}

func publicTexts(v access.Viewer, texts []string) []string {
	if texts == nil {
		return nil
	}
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = v.PublicText(t)
	}
	return out
}
