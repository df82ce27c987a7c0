package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"minsheng/storage"
)

func TestNeutralise(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"formula", "=SUM(A1)", "'=SUM(A1)"},
		{"plus", "+1", "'+1"},
		{"minus with Chinese", "-3天了没人管", "'-3天了没人管"},
		{"at", "@x", "'@x"},
		{"tab", "\tx", "'\tx"},
		{"carriage return", "\rx", "'\rx"},
		{"normal Chinese", "挂号排队太久", "挂号排队太久"},
		{"empty", "", ""},
		{"already quoted", "'already", "'already"},
		{"sign not first", "a=b", "a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Neutralise(tt.in); got != tt.want {
				t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// sample returns rows covering the cases the export must get right: a unit seen twice, a
// two-style opinion, an untagged one, a unit without a name, formula-like text, and work at
// several stages of its rectification and 满意度回访.
func sample() []storage.ExportRow {
	return []storage.ExportRow{
		{Opinion: storage.Opinion{ID: "K7Q2M9XD", Type: "complaint", UnitCode: "xyy", UnitName: "县人民医院", Dept: "急诊科",
			Submitter: "patient", Content: "-3天了没人管", Status: "received", CreatedOn: "2025-03-02",
			Styles: []string{"bureaucratism", "hedonism"}}},
		{Opinion: storage.Opinion{ID: "P4R8T2WA", Type: "suggestion", UnitCode: "xyy", UnitName: "县人民医院",
			Submitter: "family", Content: "建议增加挂号窗口，\"周一\"人多\n下午也多", Contact: "=HYPERLINK(\"x\")",
			Status: "satisfaction", Reply: "已增设窗口", RepliedOn: "2025-03-05", CreatedOn: "2025-03-03", Deadline: "2025-03-20"},
			Rect: storage.Rectification{LeadUnitName: "县人民医院", Responsible: "门诊部主任", Measures: "增开两个挂号窗口",
				Deadline: "2025-03-20", Kind: "timed", Report: "已增开两个窗口", Checked: "passed", Note: "上次复查仍排长队"},
			Rating: storage.Rating{Rating: "basically", Words: "好多了，周一还是挤"}},
		{Opinion: storage.Opinion{ID: "M3N5B7VC", Type: "complaint", UnitCode: "zyy", UnitName: "县中医院",
			Submitter: "public", Content: "+收费不透明，发票号 20250304123456789012", Contact: "13800138000", Status: "rectifying",
			CreatedOn: "2025-03-04", Styles: []string{"formalism"}, Channel: "box", ReceivedOn: "2025-03-01", Site: "门诊大厅意见箱"},
			Rect: storage.Rectification{LeadUnitName: "县中医院", Responsible: "财务科", Kind: "immediate", Checked: "failed",
				Note: "收费清单仍未张贴"}},
		{Opinion: storage.Opinion{ID: "Z9Y8X7WV", Type: "praise", UnitCode: "wsy1", Submitter: "staff",
			Content: "护士态度很好", Status: "closed", CreatedOn: "2025-03-06",
			Styles: []string{"bureaucratism"}, Channel: "qr", Site: "住院部三楼", MailboxCode: "director", MailboxName: "局长信箱"},
			Rect: storage.Rectification{ClosedOn: "2025-03-07"}},
	}
}

// oldColumns are the columns before the rectification was exported, in their places.
var oldColumns = []string{"编号", "日期", "类型", "单位", "科室", "身份", "四风", "状态", "内容", "联系方式", "答复", "答复日期",
	"渠道", "地点", "信箱"}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	c, err := NewCSV(&buf)
	if err != nil {
		t.Fatalf("NewCSV: %v", err)
	}
	for _, r := range sample() {
		if err := c.Write(r); err != nil {
			t.Fatalf("Write(%s): %v", r.ID, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("output starts with % x, want the UTF-8 BOM EF BB BF", data[:min(3, len(data))])
	}
	records, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	if got, want := len(records), 1+len(sample()); got != want {
		t.Fatalf("got %d records, want %d", got, want)
	}
	if got, want := strings.Join(records[0], ","), strings.Join(Columns, ","); got != want {
		t.Errorf("header = %q, want %q", got, want)
	}

	checks := []struct {
		row  int
		col  string
		want string
	}{
		{1, "编号", "K7Q2M9XD"},
		{1, "类型", "投诉"},
		{1, "单位", "县人民医院"},
		{1, "身份", "患者"},
		{1, "四风", "官僚主义、享乐主义"},
		{1, "状态", "待梳理"},
		{1, "内容", "'-3天了没人管"},
		{2, "内容", "建议增加挂号窗口，\"周一\"人多\n下午也多"},
		{2, "联系方式", "'=HYPERLINK(\"x\")"},
		{2, "四风", ""},
		{2, "答复", "已增设窗口"},
		{2, "答复日期", "2025-03-05"},
		{4, "单位", "wsy1"}, // no name: falls back to the code
		{1, "渠道", "网上留言"}, // stored before channels: the web
		{3, "渠道", "意见箱"},
		{4, "渠道", "扫码留言"},
		{3, "地点", "门诊大厅意见箱"},
		{4, "地点", "住院部三楼"},
		{1, "信箱", ""},
		{4, "信箱", "局长信箱"},
		{1, "牵头单位", ""},
		{2, "牵头单位", "县人民医院"},
		{2, "责任人", "门诊部主任"},
		{2, "整改措施", "增开两个挂号窗口"},
		{2, "整改时限", "2025-03-20"},
		{2, "整改方式", "限期整改"},
		{2, "整改情况", "已增开两个窗口"},
		{2, "核验/回头看", "回头看通过"}, // a passed check does not repeat an older reason
		{3, "核验/回头看", "回头看未通过：收费清单仍未张贴"},
		{3, "整改方式", "立行立改"},
		{3, "联系方式", "13800138000"},
		{4, "销号日期", "2025-03-07"},
		{2, "评价", "基本满意"},
		{2, "评价说明", "好多了，周一还是挤"},
		{1, "评价", ""},
	}
	// New columns go at the end, so staff's spreadsheets keep their positions.
	if got := Columns[:len(oldColumns)]; !slices.Equal(got, oldColumns) {
		t.Errorf("first columns = %q, want %q in their places", got, oldColumns)
	}
	for _, ck := range checks {
		if got := records[ck.row][colIndex(t, ck.col)]; got != ck.want {
			t.Errorf("row %d %s = %q, want %q", ck.row, ck.col, got, ck.want)
		}
	}
}

func TestCSVManyRows(t *testing.T) {
	var buf bytes.Buffer
	c, err := NewCSV(&buf)
	if err != nil {
		t.Fatalf("NewCSV: %v", err)
	}
	const n = 5000
	r := sample()[1]
	for i := range n {
		r.ID = fmt.Sprintf("ID%06d", i)
		if err := c.Write(r); err != nil {
			t.Fatalf("Write row %d: %v", i, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	if got, want := len(records), n+1; got != want {
		t.Fatalf("got %d records, want %d", got, want)
	}
	if got, want := records[n][0], fmt.Sprintf("ID%06d", n-1); got != want {
		t.Errorf("last ID = %q, want %q", got, want)
	}
}

// failAfter accepts limit bytes and then fails, like a client that hangs up mid-download.
type failAfter struct{ limit int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		return 0, io.ErrClosedPipe
	}
	f.limit -= len(p)
	return len(p), nil
}

func TestCSVReportsWriterError(t *testing.T) {
	c, err := NewCSV(&failAfter{limit: 1000})
	if err != nil {
		t.Fatalf("NewCSV: %v", err)
	}
	var werr error
	for i := 0; i < 1000 && werr == nil; i++ {
		werr = c.Write(sample()[0])
	}
	if werr == nil {
		werr = c.Close()
	}
	if werr == nil {
		t.Errorf("got no error from a writer that fails, want one")
	}
}

func colIndex(t *testing.T, name string) int {
	t.Helper()
	for i, c := range Columns {
		if c == name {
			return i
		}
	}
	t.Fatalf("no column %q", name)
	return -1
}

// csvRecords writes rows through files' CSV writer and reads the file back, header first
// (the UTF-8 byte-order mark Excel needs taken off).
func csvRecords(t *testing.T, files Files, rows []storage.ExportRow) [][]string {
	t.Helper()
	var buf bytes.Buffer
	c, err := files.NewCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := c.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}
