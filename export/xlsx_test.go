package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "不含举报。")
	if err != nil {
		t.Fatalf("NewXLSX: %v", err)
	}
	for _, r := range sample() {
		if err := x.Write(r); err != nil {
			t.Fatalf("Write(%s): %v", r.ID, err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := x.Write(sample()[0]); err == nil {
		t.Errorf("Write after Close: got nil error, want one")
	}

	data := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	defer f.Close()

	if got, want := strings.Join(f.GetSheetList(), ","), "意见,统计"; got != want {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet index = %d, want 0", got)
	}

	rows, err := f.GetRows("意见")
	if err != nil {
		t.Fatalf("GetRows: %v", err)
	}
	if got, want := len(rows), 1+len(sample()); got != want {
		t.Fatalf("got %d rows, want %d", got, want)
	}
	if got, want := strings.Join(rows[0], ","), strings.Join(Columns, ","); got != want {
		t.Errorf("header = %q, want %q", got, want)
	}
	cellsWant := map[string]string{
		"A2": "K7Q2M9XD",
		"C2": "投诉",
		"D2": "县人民医院",
		"G2": "官僚主义、享乐主义",
		"I2": "'-3天了没人管",
		"I3": "建议增加挂号窗口，\"周一\"人多\n下午也多",
		"J3": "'=HYPERLINK(\"x\")",
		"K3": "已增设窗口",
		"I4": "'+收费不透明，发票号 20250304123456789012",
		"D5": "wsy1",
		"H5": "已销号",
		"M2": "网上留言",
		"M4": "意见箱",
		"M5": "扫码留言",
	}
	for ref, want := range cellsWant {
		if got := cellValue(t, f, "意见", ref); got != want {
			t.Errorf("意见!%s = %q, want %q", ref, got, want)
		}
	}
	// A formula-like value must be stored as a string, never as a formula.
	for _, ref := range []string{"I2", "J3"} {
		if typ, _ := f.GetCellType("意见", ref); typ != excelize.CellTypeInlineString {
			t.Errorf("意见!%s type = %v, want inline string", ref, typ)
		}
		if fm, _ := f.GetCellFormula("意见", ref); fm != "" {
			t.Errorf("意见!%s formula = %q, want none", ref, fm)
		}
	}
	if wd, _ := f.GetColWidth("意见", "I"); wd < 40 {
		t.Errorf("内容 column width = %v, want a wide column", wd)
	}
	checkColOrder(t, data)

	checkStats(t, f)
}

// checkStats compares the whole "统计" sheet for the sample() opinions.
func checkStats(t *testing.T, f *excelize.File) {
	t.Helper()
	want := [][]string{
		{"说明：本表统计的是“意见”页中的各条意见，即按所选条件您可以查看的意见。不含举报。"},
		nil,
		{"四风 × 单位"},
		{"单位", "形式主义", "官僚主义", "享乐主义", "奢靡之风", "未标注", "合计"},
		// Units in the unit tree's order, as every figure lists them (stats); a writer made
		// without a store knows no tree and orders them by code: wsy1, xyy, zyy.
		{"wsy1", "0", "1", "0", "0", "0", "1"},
		{"县人民医院", "0", "1", "1", "0", "1", "2"},
		{"县中医院", "1", "0", "0", "0", "0", "1"},
		{"合计", "1", "2", "1", "0", "1", "4"},
		nil,
		{"类型"},
		{"意见", "0"}, {"建议", "1"}, {"投诉", "2"}, {"举报", "0"}, {"表扬", "1"},
		nil,
		{"状态"},
		{"待梳理", "1"}, {"已分类", "0"}, {"已交办", "0"}, {"整改中", "1"}, {"已整改待核验", "0"}, {"回头看", "0"},
		{"满意度回访", "1"}, {"已销号", "1"}, {"不予受理", "0"}, {"重复", "0"}, {"转办", "0"},
		nil,
		{"渠道"},
		{"网上留言", "2"}, {"扫码留言", "1"}, {"自助留言机", "0"}, {"意见箱", "1"}, {"信函", "0"}, {"电话", "0"},
		{"短信", "0"}, {"座谈会", "0"}, {"走访", "0"}, {"问卷", "0"}, {"民主评议", "0"},
		{"电子邮件", "0"}, {"暗访/督导检查", "0"}, {"媒体", "0"}, {"信访", "0"}, {"谈心谈话/个别访谈", "0"},
		{"入户走访", "0"}, {"征求意见表", "0"},
		nil,
		{"所属问题"}, {"问题数", "0"}, {"归入问题的意见数", "0"}, // no sample opinion is in a problem
	}
	got, err := f.GetRows("统计")
	if err != nil {
		t.Fatalf("GetRows(统计): %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("统计 has %d rows, want %d:\n%q", len(got), len(want), got)
	}
	for i := range want {
		if g, w := strings.Join(got[i], "|"), strings.Join(want[i], "|"); g != w {
			t.Errorf("统计 row %d = %q, want %q", i+1, g, w)
		}
	}
	// Counts must be numbers (no t attribute), labels strings.
	for _, ref := range []string{"B5", "G8", "B11", "B18"} {
		if typ, _ := f.GetCellType("统计", ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("统计!%s type = %v, want a number", ref, typ)
		}
	}
	if typ, _ := f.GetCellType("统计", "A5"); typ != excelize.CellTypeSharedString {
		t.Errorf("统计!A5 type = %v, want a string", typ)
	}
}

func TestXLSXEmpty(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "不含举报。")
	if err != nil {
		t.Fatalf("NewXLSX: %v", err)
	}
	if err := x.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := x.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	defer f.Close()
	if got, want := cellValue(t, f, "统计", "G5"), "0"; got != want {
		t.Errorf("统计!G5 (total of no opinions) = %q, want %q", got, want)
	}
}

// checkColOrder guards against excelize's StreamWriter emitting <col> elements in reverse
// order, which Excel may report as a damaged file although excelize itself reads it fine.
func checkColOrder(t *testing.T, xlsx []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatalf("zip: %v", err)
	}
	for _, zf := range zr.File {
		if zf.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		r, err := zf.Open()
		if err != nil {
			t.Fatalf("open %s: %v", zf.Name, err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("read %s: %v", zf.Name, err)
		}
		last := 0
		for _, part := range strings.Split(string(b), `<col min="`)[1:] {
			var n int
			fmt.Sscanf(part, "%d", &n)
			if n <= last {
				t.Errorf("<col min=%d> follows min=%d, want ascending", n, last)
			}
			last = n
		}
		if last != len(Columns) {
			t.Errorf("last <col> is %d, want %d", last, len(Columns))
		}
		return
	}
	t.Fatalf("no xl/worksheets/sheet1.xml in the workbook")
}

func cellValue(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatalf("GetCellValue(%s!%s): %v", sheet, ref, err)
	}
	return v
}
