package export

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXTextRoundTrip writes texts that XML or a spreadsheet reader treats specially into the
// streamed sheet and reads them back with excelize: each must come back as it was written
// (or, for what XML cannot hold, with the replacement character; for an over-long text, cut at
// Excel's limit).
func TestXLSXTextRoundTrip(t *testing.T) {
	long := strings.Repeat("长", maxCellChars+10)
	tests := []struct {
		name, content, want string
	}{
		{"markup", `a < b && c > "d" 'e'`, `a < b && c > "d" 'e'`},
		{"leading and trailing space", "  两头空格\t", "  两头空格\t"},
		{"line breaks", "第一行\r\n第二行\n", "第一行\r\n第二行\n"},
		{"escape-like text", "_x000D_ and _x005F_ stay", "_x000D_ and _x005F_ stay"},
		{"not escape-like", "_x12_ _xGGGG_ _x", "_x12_ _xGGGG_ _x"},
		{"control character", "a\x01b\x1fc", "a\uFFFDb\uFFFDc"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"astral character", "𠮷野家", "𠮷野家"},
		{"over-long", long, long[:len("长")*maxCellChars]},
	}
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		r := sample()[1]
		r.Content = tt.content
		if err := x.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	f := closeAndOpen(t, x, &buf)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, _ := excelize.CoordinatesToCellName(colIndex(t, "内容")+1, 2+i)
			got, err := f.GetCellValue(dataSheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s = %.60q (%d bytes), want %.60q (%d bytes)", ref, got, len(got), tt.want, len(tt.want))
			}
		})
	}
}

// TestXLSXTempFile checks that the rows' temp file, which holds opinion text, is gone after
// Close, also when no row was written.
func TestXLSXTempFile(t *testing.T) {
	for _, rows := range []int{0, 3} {
		dir := t.TempDir()
		t.Setenv("TMPDIR", dir)
		var buf bytes.Buffer
		x, err := NewXLSX(&buf, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sample()[:rows] {
			if err := x.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		during, _ := filepath.Glob(filepath.Join(dir, "minsheng-xlsx-*"))
		if len(during) != 1 {
			t.Errorf("%d rows: %d temp files while writing, want 1 (in TMPDIR)", rows, len(during))
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		after, _ := os.ReadDir(dir)
		if len(after) != 0 {
			t.Errorf("%d rows: %d files left in the temp folder after Close, want none", rows, len(after))
		}
	}
}

// TestXLSXManyRows writes enough rows for the deflated sheet to span many flate blocks and
// reads every row back: the part copied as raw deflate data must have the right sizes and CRC.
func TestXLSXManyRows(t *testing.T) {
	const n = 3000
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		r := sample()[i%len(sample())]
		r.ID = excelizeName(t, i+1)
		if err := x.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	f := closeAndOpen(t, x, &buf)
	rows, err := f.GetRows(dataSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want %d", len(rows), n+1)
	}
	if got, want := rows[n][0], excelizeName(t, n); got != want {
		t.Errorf("last row's ID = %q, want %q", got, want)
	}
	if got, want := cellValue(t, f, "统计", "A8"), "合计"; got != want {
		t.Errorf("统计!A8 = %q, want %q", got, want)
	}
	if got, want := cellValue(t, f, "统计", "G8"), "3000"; got != want {
		t.Errorf("统计!G8 (total) = %q, want %q", got, want)
	}
}

// excelizeName is a distinct ID per row: excelize's own column letters of i.
func excelizeName(t *testing.T, i int) string {
	t.Helper()
	name, err := excelize.ColumnNumberToName(i)
	if err != nil {
		t.Fatal(err)
	}
	if got := columnName(i); got != name {
		t.Fatalf("columnName(%d) = %q, excelize says %q", i, got, name)
	}
	return name
}

// closeAndOpen closes x, which writes into buf, and opens the workbook with excelize. Nothing
// may reach buf before Close: a failed export must leave the response untouched.
func closeAndOpen(t *testing.T, x *XLSX, buf *bytes.Buffer) *excelize.File {
	t.Helper()
	if buf.Len() != 0 {
		t.Errorf("%d bytes reached the writer before Close, want none", buf.Len())
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
