package export

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// sheetStream writes one worksheet part of an xlsx file row by row, deflated straight into a temp
// file, so that its memory stays the same whatever the number of rows: excelize's StreamWriter
// keeps up to 16 MB of the sheet in memory and then builds the whole zip in a bytes.Buffer,
// which made the 100k-row export take 2.1 times the memory of the 10k one. The temp file holds
// the part already compressed, with its CRC and sizes counted on the way, so that copyTo can
// put it into the final zip as raw deflate data without compressing it a second time.
//
// It writes only what the export needs: inline strings, date serials, a style per cell, column
// widths and styles, a frozen first row and an autofilter.
type sheetStream struct {
	tmp  *os.File
	fw   *flate.Writer
	crc  hash.Hash32
	size int64 // uncompressed bytes so far
	w    *bufio.Writer
	cols []string // the column letters: A, B, … AD
	rows int      // rows written so far
}

// sheetCol is one <col> of the sheet: its width in character units and its style.
type sheetCol struct {
	width float64
	style int
}

// The beginning of the part. Only the two namespaces the part uses are declared.
const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
	`<sheetViews><sheetView tabSelected="1" workbookViewId="0">` +
	`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
	`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
	`<sheetFormatPr defaultRowHeight="15"/>`

// maxCellChars is Excel's limit on a cell's text, in UTF-16 units; a longer text is cut, as
// excelize cut it.
const maxCellChars = 32767

// newSheetStream starts a worksheet in a temp file in dir ("" for the system's) with the first
// row frozen and the columns cols, in order.
func newSheetStream(dir string, cols []sheetCol) (*sheetStream, error) {
	tmp, err := os.CreateTemp(dir, "minsheng-xlsx-")
	if err != nil {
		return nil, err
	}
	// BestSpeed: the sheet is most of the file's bytes, and the default level made deflating
	// alone take longer than reading the rows from SQLite; the file is about a fifth larger.
	fw, err := flate.NewWriter(tmp, flate.BestSpeed)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	s := &sheetStream{tmp: tmp, fw: fw, crc: crc32.NewIEEE()}
	s.w = bufio.NewWriterSize(s, 64<<10)
	s.w.WriteString(sheetHead)
	s.w.WriteString(`<cols>`)
	for i, c := range cols {
		n := strconv.Itoa(i + 1)
		s.w.WriteString(`<col min="` + n + `" max="` + n + `" width="` +
			strconv.FormatFloat(c.width, 'f', -1, 64) + `" customWidth="1" style="` + strconv.Itoa(c.style) + `"/>`)
		s.cols = append(s.cols, columnName(i+1))
	}
	s.w.WriteString(`</cols><sheetData>`)
	return s, nil
}

// Write is where the buffered XML goes: counted, summed and deflated into the temp file.
func (s *sheetStream) Write(p []byte) (int, error) {
	s.crc.Write(p)
	s.size += int64(len(p))
	return s.fw.Write(p)
}

// sheetCell is one cell of a row: nothing (the zero value), a text or a date, in a style.
type sheetCell struct {
	text  string
	date  time.Time
	style int
}

// row writes the next row. An empty cell is left out rather than written as an empty string.
func (s *sheetStream) row(cells []sheetCell) error {
	s.rows++
	n := strconv.Itoa(s.rows)
	s.w.WriteString(`<row r="` + n + `">`)
	for i, c := range cells {
		if c.text == "" && c.date.IsZero() {
			continue
		}
		s.w.WriteString(`<c r="` + s.cols[i] + n + `" s="` + strconv.Itoa(c.style) + `"`)
		if !c.date.IsZero() {
			s.w.WriteString(`><v>` + strconv.FormatInt(excelDate(c.date), 10) + `</v></c>`)
			continue
		}
		s.w.WriteString(` t="inlineStr"><is><t`)
		if needsPreserve(c.text) {
			s.w.WriteString(` xml:space="preserve"`)
		}
		s.w.WriteByte('>')
		writeCellText(s.w, c.text)
		s.w.WriteString(`</t></is></c>`)
	}
	_, err := s.w.WriteString(`</row>`)
	return err
}

// finish closes the sheet with an autofilter over the header and every row (at least one row
// below the header, as Excel wants a range).
func (s *sheetStream) finish() error {
	last := s.cols[len(s.cols)-1] + strconv.Itoa(max(s.rows, 2))
	s.w.WriteString(`</sheetData><autoFilter ref="A1:` + last + `"/></worksheet>`)
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.fw.Close()
}

// copyTo adds the finished sheet to zw as the part name, copying the deflated bytes as they are.
func (s *sheetStream) copyTo(zw *zip.Writer, name string) error {
	compressed, err := s.tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := s.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, CRC32: s.crc.Sum32(),
		CompressedSize64: uint64(compressed), UncompressedSize64: uint64(s.size),
	})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, io.LimitReader(s.tmp, compressed))
	return err
}

// remove deletes the temp file; it holds opinion text and must not outlive the export.
func (s *sheetStream) remove() error {
	err := s.tmp.Close()
	if rerr := os.Remove(s.tmp.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
		err = rerr
	}
	return err
}

// excelDate is the serial Excel shows as d's date: days since 1899-12-30 (the 1900 date system,
// right for every date after February 1900).
func excelDate(d time.Time) int64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return int64(day.Sub(epoch) / (24 * time.Hour))
}

// columnName is the letters of column n (1 → A, 27 → AA).
func columnName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// needsPreserve says whether s begins or ends with white space, which an XML reader would drop
// without xml:space="preserve".
func needsPreserve(s string) bool {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	return s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1]))
}

// writeCellText writes s as the text of a <t> element: &, < and > escaped, \r kept as a
// character reference, characters XML cannot hold replaced by U+FFFD, and a literal "_xHHHH_"
// escaped as "_x005F_xHHHH_" so that a spreadsheet does not read it as the escaped character
// HHHH. Text longer than Excel allows is cut at maxCellChars.
func writeCellText(w *bufio.Writer, s string) {
	if len(s) > maxCellChars { // fewer bytes than the limit cannot be more UTF-16 units
		s = cutUTF16(s, maxCellChars)
	}
	plain := 0 // s[plain:i] is still to be written as it is
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		size := 1
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\r':
			esc = "&#xD;"
		case c == '_' && isEscapeLike(s[i:]):
			esc = "_x005F_"
		case c < 0x20 && c != '\t' && c != '\n':
			esc = "\uFFFD"
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			size = n
			if (r == utf8.RuneError && n == 1) || r == 0xFFFE || r == 0xFFFF {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			w.WriteString(s[plain:i])
			w.WriteString(esc)
			plain = i + size
		}
		i += size
	}
	w.WriteString(s[plain:])
}

// isEscapeLike says whether s begins with "_x", four hex digits and "_".
func isEscapeLike(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// cutUTF16 is the longest beginning of s of at most n UTF-16 units.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			return s[:i]
		}
	}
	return s
}
