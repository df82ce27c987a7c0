package export

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/storage"
)

func TestWriteLedgers(t *testing.T) {
	long := string(bytes.Repeat([]byte("长"), 100))
	rows := []storage.LedgerRow{
		{Opinion: storage.Opinion{ID: "A1", CreatedOn: "2026-04-01", Content: "排队太久", UnitName: "县人民医院", Status: "rectifying"},
			Rect: storage.Rectification{Ledger: "problem", LeadUnitName: "县人民医院", Responsible: "门诊部主任",
				Measures: "=增开窗口", Kind: "timed", Deadline: "2026-04-20"}},
		{Opinion: storage.Opinion{ID: "B2", CreatedOn: "2026-04-02", Content: long, UnitName: "县卫生健康局机关", Status: "closed"},
			Rect: storage.Rectification{Ledger: "system", LeadUnitName: "县卫生健康局机关", Responsible: "办公室",
				Measures: "修订会议制度", Kind: "immediate", Deadline: "2026-04-10", ClosedOn: "2026-04-09"}},
	}
	var buf bytes.Buffer
	if err := WriteLedgers(&buf, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"具体问题整改", "专项整治", "制度建设"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	check := func(sheet, cell, want string) {
		t.Helper()
		if got, _ := f.GetCellValue(sheet, cell); got != want {
			t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
		}
	}
	check("具体问题整改", "A1", "编号")
	check("具体问题整改", "A2", "A1")
	check("具体问题整改", "G2", "'=增开窗口")
	check("具体问题整改", "H2", "限期整改")
	check("具体问题整改", "J2", "整改中")
	check("专项整治", "A2", "")
	check("制度建设", "A2", "B2")
	check("制度建设", "K2", "2026-04-09")
	check("制度建设", "J2", "已销号")
	if got, _ := f.GetCellValue("制度建设", "C2"); len([]rune(got)) != ledgerExcerpt+1 {
		t.Errorf("excerpt of %d characters, want %d and an ellipsis", len([]rune(got)), ledgerExcerpt)
	}
}
