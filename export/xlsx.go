package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
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
//
// Sheet "意见" is written by sheetStream, deflated into a temp file as the rows come; everything
// else (styles, the workbook, sheet "统计") is small and made by excelize, whose file is
// written into a buffer at Close and copied part by part, with "意见" put in its place.
type XLSX struct {
	w      io.Writer
	files  Files
	f      *excelize.File
	sheet  *sheetStream
	st     styles
	data   string // the name of sheet "意见"
	row    int    // last row written on sheet 1 (1 is the header)
	cells  []sheetCell
	tally  *tally
	note   string
	closed bool
}

// dataPart is the part of sheet "意见": excelize names the first sheet of a new file so, and
// Close checks that the workbook it writes has that part.
const dataPart = "xl/worksheets/sheet1.xml"

// NewXLSX starts a workbook and writes the header row of its first sheet "意见". omitted says
// which opinions the reader never sees (access.Viewer.OmittedIn, in the files' language);
// sheet "统计" says so above its counts. Nothing reaches w until Close, so a failed export
// leaves the response untouched; the rows wait, compressed, in a temp file.
func (files Files) NewXLSX(w io.Writer, omitted string) (*XLSX, error) {
	f := excelize.NewFile()
	data := SheetName(files.p.T("export.sheet_opinions"))
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
	// The column style makes a cell typed in later take the column's format too.
	cols := make([]sheetCol, len(columns))
	for i, c := range columns {
		cols[i] = sheetCol{width: c.width, style: st.kinds[c.kind]}
	}
	sheet, err := newSheetStream("", cols)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	x := &XLSX{w: w, files: files, f: f, sheet: sheet, st: st, data: data,
		cells: make([]sheetCell, len(columns)), note: omitted}
	if x.tally, err = files.newTally(); err != nil {
		_ = sheet.remove()
		_ = f.Close()
		return nil, err
	}
	head := make([]sheetCell, len(columns))
	for i, name := range files.Header() {
		head[i] = sheetCell{text: name, style: st.head}
	}
	x.row = 1
	if err := sheet.row(head); err != nil {
		_ = sheet.remove()
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

// Write streams one row for r and adds it to the counts. Every text is written as an inline
// string, never as a formula, whatever it begins with.
func (x *XLSX) Write(r storage.ExportRow) error {
	if x.closed {
		return errClosed
	}
	for i, s := range x.files.cells(r) {
		kind := columns[i].kind
		c := sheetCell{text: s, style: x.st.kinds[kind]}
		if kind == date && s != "" {
			if d, err := time.Parse("2006-01-02", s); err == nil {
				c = sheetCell{date: d, style: x.st.kinds[date]}
			} else {
				c.style = x.st.kinds[text] // not a date after all: keep what was stored, as text
			}
		}
		x.cells[i] = c
	}
	if err := x.sheet.row(x.cells); err != nil {
		return err
	}
	x.row++
	return x.tally.add(r)
}

// Close finishes sheet "意见", builds sheet "统计", writes the whole workbook to w and removes
// the temp file. Close must be called even after a failed Write, or the file leaks. A second
// Close does nothing, so a deferred Close after an explicit one is harmless.
func (x *XLSX) Close() (err error) {
	if x.closed {
		return nil
	}
	x.closed = true
	return closeStreamed(x.w, x.f, x.sheet, x.data, len(columns), x.row, x.writeStats)
}

// closeStreamed finishes a workbook whose first sheet (name, columns wide, rows rows written)
// was streamed: it ends the sheet, sets its filter, lets more add the rest of the workbook (nil
// for nothing), writes it all to w, and always removes the temp file and closes f. The first
// sheet is already the active one (the renamed default); without its rows the rest of the
// workbook is a few tens of kilobytes.
func closeStreamed(w io.Writer, f *excelize.File, sheet *sheetStream, name string, columns, rows int, more func() error) (err error) {
	defer func() {
		if rerr := sheet.remove(); err == nil {
			err = rerr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := sheet.finish(); err != nil {
		return err
	}
	// The filter's range is also a defined name of the workbook, which excelize writes when it
	// is set on its (empty) copy of the sheet; the sheet's own <autoFilter> is sheetStream's.
	last, err := excelize.CoordinatesToCellName(columns, max(rows, 2))
	if err != nil {
		return err
	}
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return err
	}
	if more != nil {
		if err := more(); err != nil {
			return err
		}
	}
	rest, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	return assembleWorkbook(w, rest.Bytes(), sheet, name)
}

// assembleWorkbook writes to w every part of rest (a workbook excelize wrote, whose first sheet
// is empty) in its order, with sheet's streamed rows as the first sheet's part (dataPart);
// name is that sheet's name, for the error when the part is missing.
func assembleWorkbook(w io.Writer, rest []byte, sheet *sheetStream, name string) error {
	zr, err := zip.NewReader(bytes.NewReader(rest), int64(len(rest)))
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	found := false
	for _, part := range zr.File {
		if part.Name == dataPart {
			found = true
			err = sheet.copyTo(zw, dataPart)
		} else {
			err = zw.Copy(part)
		}
		if err != nil {
			return err
		}
	}
	if !found {
		return fmt.Errorf("export: the workbook has no %s for sheet %q", dataPart, name)
	}
	return zw.Close()
}

// statsTop is the first row of the counts on sheet "统计": above them, what they cover.
const statsTop = 3

// writeStats fills sheet "统计". It is small (one row per unit plus a dozen), so the ordinary
// cell API is used instead of a second StreamWriter.
func (x *XLSX) writeStats() error {
	p := x.files.p
	statsSheet := SheetName(p.T("export.sheet_counts"))
	if _, err := x.f.NewSheet(statsSheet); err != nil {
		return err
	}
	note := strings.TrimSpace(p.T("export.counts_note", x.data, x.note))
	if err := x.f.SetCellStr(statsSheet, "A1", note); err != nil {
		return err
	}
	// The taxonomy's blocks come after the older ones, which keep their rows.
	counted := x.tally.c.Figures()
	rows := append(x.tally.rows(p, counted), x.files.tagRows(tagCounts(counted), x.tally.tagged)...)
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

// SheetName is name as a sheet may be named: Excel refuses more than 31 characters, the
// characters : \ / ? * [ ], which a translation or a staff-written title might bring, and an
// empty name.
func SheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if strings.TrimSpace(name) == "" {
		name = "-"
	}
	return name
}
