package export

import (
	"errors"
	"io"

	"github.com/xuri/excelize/v2"

	"minsheng/storage"
)

const (
	dataSheet  = "意见"
	statsSheet = "统计"
)

// widths are the sheet-1 column widths in Excel character units, in Columns order. 内容 and 答复
// are the text people actually read; the codes and dates only need to fit.
var widths = []float64{12, 12, 8, 20, 14, 8, 20, 10, 60, 18, 40, 12, 10, 18, 12}

// errClosed is returned by Write after Close, when the excelize file is already gone.
var errClosed = errors.New("export: xlsx writer is closed")

// XLSX streams opinions into an Excel workbook: sheet "意见" holds one row per opinion and sheet
// "统计" the counts, built at Close from a tally rather than by re-reading the rows.
type XLSX struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int // last row written on sheet 1 (1 is the header)
	tally  *tally
	closed bool
}

// NewXLSX starts a workbook whose first sheet "意见" is written through excelize's StreamWriter
// (rows go to a temp buffer, not into an in-memory cell model) and writes its header row.
// Nothing reaches w until Close, because an xlsx file is a zip that can only be finished once
// every sheet is known.
func NewXLSX(w io.Writer) (*XLSX, error) {
	f := excelize.NewFile()
	// Renaming the default sheet rather than adding a new one keeps "意见" at index 0, so it is
	// both the first tab and the active one without reordering.
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(dataSheet)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	x := &XLSX{w: w, f: f, sw: sw, tally: newTally()}
	if err := x.start(); err != nil {
		_ = f.Close()
		return nil, err
	}
	return x, nil
}

// start sets widths and the frozen header, which StreamWriter only accepts before the first
// row, then writes the header.
func (x *XLSX) start() error {
	// Widths are set from the last column to the first: excelize puts each new <col> in front
	// of the earlier ones and StreamWriter does not sort them, while Excel expects them in
	// ascending order and may offer to "repair" the file otherwise.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := x.sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
	}
	// Freeze the header so that column names stay visible while scrolling a long month.
	if err := x.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = c
	}
	x.row = 1
	return x.sw.SetRow("A1", head)
}

// Write streams one row for o and adds it to the counts. Every value is a Go string, which the
// StreamWriter stores as an inline string; a formula is only ever written for an
// excelize.Cell with Formula set, which this package never builds.
func (x *XLSX) Write(o storage.Opinion) error {
	if x.closed {
		return errClosed
	}
	row := cells(o)
	vals := make([]any, len(row))
	for i, s := range row {
		if s != "" { // nil makes SetRow skip the cell instead of writing an empty inline string
			vals[i] = s
		}
	}
	ref, err := excelize.CoordinatesToCellName(1, x.row+1)
	if err != nil {
		return err
	}
	if err := x.sw.SetRow(ref, vals); err != nil {
		return err
	}
	x.row++
	x.tally.add(o)
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

// writeStats fills sheet "统计". It is small (one row per unit plus a dozen), so the ordinary
// cell API is used instead of a second StreamWriter.
func (x *XLSX) writeStats() error {
	if _, err := x.f.NewSheet(statsSheet); err != nil {
		return err
	}
	for i, r := range x.tally.rows() {
		if r == nil {
			continue // the empty separator row
		}
		ref, err := excelize.CoordinatesToCellName(1, i+1)
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
	return x.f.SetColWidth(statsSheet, "B", "G", 10)
}
