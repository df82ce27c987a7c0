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

// csvStream writes rows of text as comma-separated values after the UTF-8 BOM and a header,
// flushing every flushEvery rows: the part every CSV file of the portal shares (the opinions,
// the audit log). Cells are written as given; callers neutralise what a person typed.
type csvStream struct {
	w    *csv.Writer
	rows int
}

// newCSVStream writes the BOM and header to w. The header is flushed at once so that a broken
// w is reported here, before any row is read from the database.
func newCSVStream(w io.Writer, header []string) (*csvStream, error) {
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, err
	}
	c := &csvStream{w: csv.NewWriter(w)}
	if err := c.w.Write(header); err != nil {
		return nil, err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return nil, err
	}
	return c, nil
}

// write adds one row; a failing writer (a client that hung up) is noticed within flushEvery rows.
func (c *csvStream) write(row []string) error {
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

// close flushes the remaining rows. It does not close the underlying writer, which belongs to
// the caller (typically an http.ResponseWriter).
func (c *csvStream) close() error {
	c.w.Flush()
	return c.w.Error()
}

// CSV streams opinions as comma-separated values, one row per Write. It is plain text: a
// spreadsheet that opens it guesses each cell's type, so long numbers may show as 1.38E+10
// there; the XLSX file fixes the types.
type CSV struct {
	s     *csvStream
	files Files
}

// NewCSV writes the UTF-8 BOM and the header row to w and returns a writer for the data rows.
func (f Files) NewCSV(w io.Writer) (*CSV, error) {
	s, err := newCSVStream(w, f.Header())
	if err != nil {
		return nil, err
	}
	return &CSV{s: s, files: f}, nil
}

// Write adds one row for r, its dates as the language writes them. Rows are flushed to the
// underlying writer every 100 rows.
func (c *CSV) Write(r storage.ExportRow) error {
	row := c.files.cells(r)
	for i, col := range columns {
		if col.kind == date {
			row[i] = c.files.day(row[i])
		}
	}
	return c.s.write(row)
}

// Close flushes the remaining rows and returns any error the csv writer met. It does not close
// the underlying writer.
func (c *CSV) Close() error { return c.s.close() }
