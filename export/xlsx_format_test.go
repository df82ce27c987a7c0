package export

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXForClerks opens the written workbook with excelize and checks what a clerk relies
// on: contacts and long numbers stored as text in the text format (never 1.38E+10), dates as
// real dates, a bold shaded header with an autofilter over every row, a frozen header, and
// long text that wraps.
func TestXLSXForClerks(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sample() {
		if err := x.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref := func(col string, row int) string {
		t.Helper()
		c, err := excelize.CoordinatesToCellName(colIndex(t, col)+1, row)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	style := func(cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(dataSheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	// Text: the contact (row 4 is M3N5B7VC) and a content holding a 20-digit number.
	for _, cell := range []string{ref("联系方式", 4), ref("内容", 4), ref("编号", 2)} {
		if typ, _ := f.GetCellType(dataSheet, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("%s type = %v, want an inline string", cell, typ)
		}
		if st := style(cell); st.NumFmt != textFormat {
			t.Errorf("%s number format = %d, want %d (text)", cell, st.NumFmt, textFormat)
		}
	}
	if got := cellValue(t, f, dataSheet, ref("联系方式", 4)); got != "13800138000" {
		t.Errorf("contact reads %q, want every digit", got)
	}

	// Dates: numbers with a date format, read back as the date.
	dates := map[string]string{ref("日期", 2): "2025-03-02", ref("答复日期", 3): "2025-03-05",
		ref("整改时限", 3): "2025-03-20", ref("销号日期", 5): "2025-03-07"}
	for cell, want := range dates {
		if typ, _ := f.GetCellType(dataSheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s type = %v, want a date (a number)", cell, typ)
		}
		if raw, _ := f.GetCellValue(dataSheet, cell, excelize.Options{RawCellValue: true}); strings.Contains(raw, "-") {
			t.Errorf("%s raw value = %q, want a date serial", cell, raw)
		}
		if got := cellValue(t, f, dataSheet, cell); got != want {
			t.Errorf("%s reads %q, want %q", cell, got, want)
		}
		if st := style(cell); st.CustomNumFmt == nil || *st.CustomNumFmt != dateFormat {
			t.Errorf("%s format = %v, want %q", cell, st.CustomNumFmt, dateFormat)
		}
	}

	// Header: bold and shaded, frozen, with an autofilter over the header and every row.
	for _, name := range []string{"编号", "内容", "评价说明"} {
		st := style(ref(name, 1))
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("header %s is not bold", name)
		}
		if len(st.Fill.Color) == 0 {
			t.Errorf("header %s is not shaded", name)
		}
	}
	if p, err := f.GetPanes(dataSheet); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header row frozen", p, err)
	}
	last := ref("反映对象", 1+len(sample())) // the last column
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(dn.RefersTo, "!$A$1:$"+strings.TrimRight(last, "0123456789")+"$5") {
			found = true
		}
	}
	if !found {
		t.Errorf("no filter database A1:%s among %+v", last, f.GetDefinedName())
	}
	// excelize writes the range with $ signs, as Excel accepts.
	xml := strings.ReplaceAll(sheetXML(t, buf.Bytes(), "xl/worksheets/sheet1.xml"), "$", "")
	if !strings.Contains(xml, `<autoFilter ref="A1:`+last+`"`) {
		t.Errorf("sheet1.xml has no <autoFilter ref=\"A1:%s\">", last)
	}

	// Long text wraps; short text does not.
	for _, name := range []string{"内容", "答复", "整改措施", "整改情况", "核验/回头看", "评价说明"} {
		if st := style(ref(name, 3)); st.Alignment == nil || !st.Alignment.WrapText {
			t.Errorf("%s does not wrap", name)
		}
	}
	if st := style(ref("单位", 3)); st.Alignment != nil && st.Alignment.WrapText {
		t.Errorf("单位 wraps, want one line")
	}
	if id, err := f.GetColStyle(dataSheet, "I"); err != nil || id != x.st.kinds[long] {
		t.Errorf("内容 column style = %d, %v; want the wrapping text style, so typed cells wrap too", id, err)
	}
}

// sheetXML is the raw XML of one part of an xlsx file.
func sheetXML(t *testing.T, xlsx []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == name {
			r, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s in the workbook", name)
	return ""
}
