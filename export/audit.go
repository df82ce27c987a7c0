package export

import "io"

// AuditLine is one entry of the audit log as its reader reads it: the handler has put the time,
// the action and its detail into the reader's words (as the page shows them).
type AuditLine struct {
	Time, Person, Action, Item, Detail string
}

// auditColumns are the catalog keys of the audit log's header, the columns of its page.
var auditColumns = []string{"auditpage.col_time", "auditpage.col_person", "auditpage.col_action",
	"auditpage.col_item", "auditpage.col_detail"}

// AuditCSV streams the audit log as CSV, one line per Write, in the files' language.
type AuditCSV struct{ s *csvStream }

// NewAuditCSV writes the BOM and the header to w.
func (f Files) NewAuditCSV(w io.Writer) (*AuditCSV, error) {
	header := make([]string, len(auditColumns))
	for i, key := range auditColumns {
		header[i] = f.p.T(key)
	}
	s, err := newCSVStream(w, header)
	if err != nil {
		return nil, err
	}
	return &AuditCSV{s: s}, nil
}

// Write adds one line. Every cell is neutralised: a username or a detail may begin with = or +.
func (a *AuditCSV) Write(l AuditLine) error {
	return a.s.write([]string{Neutralise(l.Time), Neutralise(l.Person), Neutralise(l.Action),
		Neutralise(l.Item), Neutralise(l.Detail)})
}

// Close flushes what is left; the underlying writer stays open.
func (a *AuditCSV) Close() error { return a.s.close() }
