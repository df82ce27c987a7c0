package export

import (
	"encoding/csv"
	"io"

	"minsheng/storage"
)

// flushEvery is how many rows the CSV writer buffers before pushing them to the underlying
// writer: enough to avoid a syscall per row, few enough that memory stays flat and an HTTP
// download visibly progresses.
const flushEvery = 100

// bom is the UTF-8 byte order mark. Excel on Chinese Windows opens a BOM-less CSV as GBK and
// shows mojibake; with the BOM it reads UTF-8.
const bom = "\xEF\xBB\xBF"

// CSV streams opinions as comma-separated values, one row per Write. It is plain text: a
// spreadsheet that opens it guesses each cell's type, so long numbers may show as 1.38E+10
// there; the XLSX file fixes the types.
type CSV struct {
	w     *csv.Writer
	files Files
	rows  int
}

// NewCSV writes the UTF-8 BOM and the header row to w and returns a writer for the data rows.
// The header is flushed at once so that a broken w is reported here, before any row is read
// from the database.
func (f Files) NewCSV(w io.Writer) (*CSV, error) {
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, err
	}
	c := &CSV{w: csv.NewWriter(w), files: f}
	if err := c.w.Write(f.Header()); err != nil {
		return nil, err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return nil, err
	}
	return c, nil
}

// Write adds one row for r, its dates as the language writes them. Rows are flushed to the
// underlying writer every 100 rows, so a failing writer (a client that hung up) is noticed
// within that many rows.
func (c *CSV) Write(r storage.ExportRow) error {
	row := c.files.cells(r)
	for i, col := range columns {
		if col.kind == date {
			row[i] = c.files.day(row[i])
		}
	}
	if err := c.w.Write(row); err != nil {
		return err
	}
	c.rows++
	if c.rows%flushEvery == 0 {
		c.w.Flush()
		return c.w.Error()
	}
	return nil
}

// Close flushes the remaining rows and returns any error the csv writer met. It does not close
// the underlying writer, which belongs to the caller (typically an http.ResponseWriter).
func (c *CSV) Close() error {
	c.w.Flush()
	return c.w.Error()
}
