package export

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"minsheng/storage"
)

// errClosed is returned by Write after Close, when the excelize file is already gone.
var errClosed = errors.New("export: xlsx writer is closed")

// textFormat is Excel's built-in number format "@": the cell is text, so a contact or a long
// number keeps every digit (never 1.38E+10), also when someone retypes it.
const textFormat = 49

// styles are the cell styles of sheet "意见", by kind, and of its header.
type styles struct {
	head  int
	kinds map[cellKind]int
}

// XLSX streams opinions into an Excel workbook: sheet "意见" holds one row per opinion and sheet
// "统计" the counts, built at Close from a tally rather than by re-reading the rows. The
// sheets are named in the reader's language (export.sheet_opinions, export.sheet_counts).
type XLSX struct {
	w      io.Writer
	files  Files
	f      *excelize.File
	sw     *excelize.StreamWriter
	st     styles
	data   string // the name of sheet "意见"
	row    int    // last row written on sheet 1 (1 is the header)
	tally  *tally
	note   string
	closed bool
}

// NewXLSX starts a workbook whose first sheet "意见" is written through excelize's StreamWriter
// (rows go to a temp buffer, not into an in-memory cell model) and writes its header row.
// omitted says which opinions the reader never sees (access.Viewer.OmittedIn, in the files'
// language); sheet "统计" says so above its counts. Nothing reaches w until Close, because an xlsx file is a zip that can
// only be finished once every sheet is known.
func (files Files) NewXLSX(w io.Writer, omitted string) (*XLSX, error) {
	f := excelize.NewFile()
	data := sheetName(files.p.T("export.sheet_opinions"))
	// Renaming the default sheet rather than adding a new one keeps "意见" at index 0, so it is
	// both the first tab and the active one without reordering.
	if err := f.SetSheetName("Sheet1", data); err != nil {
		_ = f.Close()
		return nil, err
	}
	st, err := newStyles(f, files.p.T("export.xlsx_date_format"))
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(data)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	x := &XLSX{w: w, files: files, f: f, sw: sw, st: st, data: data, tally: newTally(), note: omitted}
	if err := x.start(); err != nil {
		_ = f.Close()
		return nil, err
	}
	return x, nil
}

// newStyles registers the styles: a bold, shaded header; text cells in the text format; long
// text that wraps; dates, shown in dateFormat (the language's: 2026-04-09, 9 Apr 2026). Every
// data cell is top-aligned, so a wrapped row reads from its top.
func newStyles(f *excelize.File, dateFormat string) (styles, error) {
	top := &excelize.Alignment{Vertical: "top"}
	defs := map[cellKind]*excelize.Style{
		text: {NumFmt: textFormat, Alignment: top},
		long: {NumFmt: textFormat, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}},
		date: {CustomNumFmt: &dateFormat, Alignment: top},
	}
	st := styles{kinds: map[cellKind]int{}}
	for kind, def := range defs {
		id, err := f.NewStyle(def)
		if err != nil {
			return st, err
		}
		st.kinds[kind] = id
	}
	var err error
	st.head, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		NumFmt:    textFormat,
	})
	return st, err
}

// start sets widths, column styles and the frozen header, which StreamWriter only accepts
// before the first row, then writes the header.
func (x *XLSX) start() error {
	// Columns are set from the last to the first: excelize puts each new <col> in front of the
	// earlier ones and StreamWriter does not sort them, while Excel expects them in ascending
	// order and may offer to "repair" the file otherwise. The column style makes a cell typed
	// in later take the column's format too.
	for i := len(columns) - 1; i >= 0; i-- {
		if err := x.sw.SetColWidth(i+1, i+1, columns[i].width); err != nil {
			return err
		}
		if err := x.sw.SetColStyle(i+1, i+1, x.st.kinds[columns[i].kind]); err != nil {
			return err
		}
	}
	// Freeze the header so that column names stay visible while scrolling a long month.
	if err := x.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	head := make([]any, len(columns))
	for i, name := range x.files.Header() {
		head[i] = excelize.Cell{StyleID: x.st.head, Value: name}
	}
	x.row = 1
	return x.sw.SetRow("A1", head)
}

// Write streams one row for r and adds it to the counts. Text is written as Go strings, which
// the StreamWriter stores as inline strings; a formula is only ever written for an
// excelize.Cell with Formula set, which this package never builds.
func (x *XLSX) Write(r storage.ExportRow) error {
	if x.closed {
		return errClosed
	}
	row := x.files.cells(r)
	vals := make([]any, len(row))
	for i, s := range row {
		if s == "" {
			continue // nil makes SetRow skip the cell instead of writing an empty inline string
		}
		kind := columns[i].kind
		var v any = s
		if kind == date {
			if d, err := time.Parse("2006-01-02", s); err == nil {
				v = d
			} else {
				kind = text // not a date after all: keep what was stored, as text
			}
		}
		vals[i] = excelize.Cell{StyleID: x.st.kinds[kind], Value: v}
	}
	ref, err := excelize.CoordinatesToCellName(1, x.row+1)
	if err != nil {
		return err
	}
	if err := x.sw.SetRow(ref, vals); err != nil {
		return err
	}
	x.row++
	x.tally.add(r.Opinion)
	x.tally.addProblem(r.ProblemID)
	return nil
}

// Close finishes sheet "意见", builds sheet "统计", writes the whole workbook to w and releases
// excelize's temp files. Close must be called even after a failed Write, or those files leak.
// A second Close does nothing, so a deferred Close after an explicit one is harmless.
func (x *XLSX) Close() (err error) {
	if x.closed {
		return nil
	}
	x.closed = true
	defer func() {
		if cerr := x.f.Close(); err == nil {
			err = cerr
		}
	}()
	// The filter covers the header and every row. The sheet being streamed is still held by
	// excelize until Flush, which writes this <autoFilter> after the rows.
	last, err := excelize.CoordinatesToCellName(len(columns), max(x.row, 2))
	if err != nil {
		return err
	}
	if err := x.f.AutoFilter(x.data, "A1:"+last, nil); err != nil {
		return err
	}
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if err := x.writeStats(); err != nil {
		return err
	}
	// "意见" is already the active sheet (it is the renamed default). SetActiveSheet(0) here
	// would make excelize parse the whole streamed sheet back into memory: 10k rows took a
	// second and 100 MB of heap for nothing.
	return x.f.Write(x.w)
}

// statsTop is the first row of the counts on sheet "统计": above them, what they cover.
const statsTop = 3

// writeStats fills sheet "统计". It is small (one row per unit plus a dozen), so the ordinary
// cell API is used instead of a second StreamWriter.
func (x *XLSX) writeStats() error {
	p := x.files.p
	statsSheet := sheetName(p.T("export.sheet_counts"))
	if _, err := x.f.NewSheet(statsSheet); err != nil {
		return err
	}
	note := strings.TrimSpace(p.T("export.counts_note", x.data, x.note))
	if err := x.f.SetCellStr(statsSheet, "A1", note); err != nil {
		return err
	}
	// The taxonomy's blocks come after the older ones, which keep their rows.
	rows := append(x.tally.rows(p), x.files.tagRows(x.tally.tagged)...)
	rows = append(rows, x.tally.problemRows(p)...)
	for i, r := range rows {
		if r == nil {
			continue // the empty separator row
		}
		ref, err := excelize.CoordinatesToCellName(1, statsTop+i)
		if err != nil {
			return err
		}
		if err := x.f.SetSheetRow(statsSheet, ref, &r); err != nil {
			return err
		}
	}
	if err := x.f.SetColWidth(statsSheet, "A", "A", 24); err != nil {
		return err
	}
	// B also holds the manifestations' words, under their styles in A.
	if err := x.f.SetColWidth(statsSheet, "B", "B", 20); err != nil {
		return err
	}
	return x.f.SetColWidth(statsSheet, "C", "G", 10)
}

// sheetName is name as a sheet may be named: Excel refuses more than 31 characters and the
// characters : \ / ? * [ ], which a translation might bring.
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}
