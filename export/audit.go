package export

import (
	"io"

	"github.com/xuri/excelize/v2"
)

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

// auditWidths are the widths of the audit log's columns in the XLSX file.
var auditWidths = []float64{20, 16, 16, 14, 60}

// AuditXLSX streams the audit log into a workbook of one sheet named as the page, written as
// the opinions' sheet is (sheetStream: rows deflated into a temp file, so a long log takes no
// more memory than a short one; every cell an inline string, never a formula).
type AuditXLSX struct {
	w      io.Writer
	f      *excelize.File
	sheet  *sheetStream
	name   string
	style  int // the text cells'
	row    int
	closed bool
}

// NewAuditXLSX starts the workbook and writes its header. Nothing reaches w until Close.
func (files Files) NewAuditXLSX(w io.Writer) (*AuditXLSX, error) {
	f := excelize.NewFile()
	name := SheetName(files.p.T("auditpage.title"))
	if err := f.SetSheetName("Sheet1", name); err != nil {
		_ = f.Close()
		return nil, err
	}
	st, err := newStyles(f, files.p.T("export.xlsx_date_format"))
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	cols := make([]sheetCol, len(auditColumns))
	for i := range cols {
		cols[i] = sheetCol{width: auditWidths[i], style: st.kinds[text]}
	}
	cols[len(cols)-1].style = st.kinds[long]
	sheet, err := newSheetStream("", cols)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	head := make([]sheetCell, len(auditColumns))
	for i, key := range auditColumns {
		head[i] = sheetCell{text: files.p.T(key), style: st.head}
	}
	if err := sheet.row(head); err != nil {
		_ = sheet.remove()
		_ = f.Close()
		return nil, err
	}
	return &AuditXLSX{w: w, f: f, sheet: sheet, name: name, style: st.kinds[text], row: 1}, nil
}

// Write adds one line, every cell an inline string.
func (a *AuditXLSX) Write(l AuditLine) error {
	if a.closed {
		return errClosed
	}
	a.row++
	cells := []sheetCell{{text: l.Time}, {text: l.Person}, {text: l.Action}, {text: l.Item}, {text: l.Detail}}
	for i := range cells { // neutralised as in the CSV: a cell retyped in Excel stays text
		cells[i].text, cells[i].style = Neutralise(cells[i].text), a.style
	}
	return a.sheet.row(cells)
}

// Close finishes the sheet, writes the workbook to w and removes the temp file. It must be
// called even after a failed Write; a second Close does nothing.
func (a *AuditXLSX) Close() (err error) {
	if a.closed {
		return nil
	}
	a.closed = true
	return closeStreamed(a.w, a.f, a.sheet, a.name, len(auditColumns), a.row, nil)
}
