package report

import (
	"minsheng/locale"
	"minsheng/storage"
)

// Consultation is what an issued report says of its draft's comment period (feature 63): the
// days it was open for comment, how many comments it received and what the office changed after
// them. A report whose draft was never opened for comment has none, and its canonical JSON has
// no "consultation" key: reports issued before this existed keep their bytes and SHA-256.
type Consultation struct {
	From     string `json:"from"` // YYYY-MM-DD
	To       string `json:"to"`
	Comments int    `json:"comments"`
	Changes  string `json:"changes,omitempty"`
}

// KeyOf is the storage name of r's draft (kind, period spelling, unit, version): what a
// consultation of the draft is kept under.
func KeyOf(r *Report) storage.ReportKey { return key(r) }

// ConsultationLine says, in p's language, when r's draft was open for comment and how many
// comments it received; "" when it never was.
func (r *Report) ConsultationLine(p *locale.Printer) string {
	c := r.Consultation
	if c == nil {
		return ""
	}
	return p.Plural("reportcomment.meta", c.Comments, p.Day(c.From), p.Day(c.To))
}
