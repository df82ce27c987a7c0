package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/export"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// ledgerLine is one ledger row with its deadline as people read it.
type ledgerLine struct {
	storage.LedgerRow
	Due       deadlineView
	Escalated string   // 督办: the parent of the lead unit, which follows up overdue work
	TagWords  []string // its manifestations and families in the reader's words, shown after its styles
}

// ledgersPage is the data of templates/pages/ledgers.html.
type ledgersPage struct {
	Ledger  string // the ledger shown, "" on the 督办 list
	Overdue bool   // the 督办 list: open work past its deadline
	Ledgers []lifecycle.Term
	Lines   []ledgerLine
	Export  bool
}

// ledgerLines reads the ledger rows the viewer may see, and the taxonomy that words their tags.
func (s *Server) ledgerLines(c echo.Context, f storage.LedgerFilter) ([]ledgerLine, taxonomy, error) {
	ctx := c.Request().Context()
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, taxonomy{}, err
	}
	parentName := map[string]string{}
	names := map[string]string{}
	for _, u := range units {
		names[u.Code] = u.Name
	}
	for _, u := range units {
		parentName[u.Code] = names[u.ParentCode]
	}
	tags, err := s.taxonomy(c)
	if err != nil {
		return nil, tags, err
	}
	v := viewer(c)
	f.Scope = &v
	var lines []ledgerLine
	err = s.store.LedgerRows(ctx, f, func(r storage.LedgerRow) error {
		r.Opinion = r.Opinion.SeenBy(v) // the page and the ledger file quote the text
		line := ledgerLine{LedgerRow: r, Due: s.deadline(r.Status, r.Rect.Deadline)}
		if line.Due.Overdue {
			line.Escalated = parentName[r.LeadUnit]
		}
		for _, code := range r.Tags {
			line.TagWords = append(line.TagWords, tags.Label(code))
		}
		lines = append(lines, line)
		return nil
	})
	return lines, tags, err
}

// showLedgers handles GET /admin/ledgers?ledger=problem|special|system: the three
// rectification ledgers (整改台账), soonest deadline first.
func (s *Server) showLedgers(c echo.Context) error {
	ledger := c.QueryParam("ledger")
	if !lifecycle.ValidTerm(lifecycle.Ledgers, ledger) {
		ledger = lifecycle.Ledgers[0].Code
	}
	lines, _, err := s.ledgerLines(c, storage.LedgerFilter{Ledger: ledger})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "ledgers", ledgersPage{Ledger: ledger, Ledgers: lifecycle.Ledgers,
		Lines: lines, Export: viewer(c).Can(access.Export)})
}

// showOverdue handles GET /admin/overdue: the 督办 list, open work past its deadline, with the
// parent of the lead unit that follows it up.
func (s *Server) showOverdue(c echo.Context) error {
	lines, _, err := s.ledgerLines(c, storage.LedgerFilter{OverdueOn: s.store.Today()})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "ledgers", ledgersPage{Overdue: true, Ledgers: lifecycle.Ledgers, Lines: lines})
}

// exportLedgers handles GET /admin/ledgers/export: the three ledgers as one XLSX workbook.
func (s *Server) exportLedgers(c echo.Context) error {
	lines, tags, err := s.ledgerLines(c, storage.LedgerFilter{})
	if err != nil {
		return err
	}
	u, _ := staffUser(c)
	if err := s.store.Record(c.Request().Context(), u.ID, "export", "ledgers"); err != nil {
		return err
	}
	rows := make([]storage.LedgerRow, len(lines))
	for i, l := range lines {
		rows[i] = l.LedgerRow
	}
	res := c.Response()
	res.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	res.Header().Set("Content-Disposition", `attachment; filename="minsheng-ledgers-`+s.store.Today()+`.xlsx"`)
	return export.In(s.printer(c)).WithTags(tags.Tags, tags.Label).WriteLedgers(res, rows)
}
