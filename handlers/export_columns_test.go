package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/export"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestExportRectificationColumns downloads the monthly XLSX of work that went through the
// whole procedure and opens it with excelize: the clerk's columns are filled from the
// rectification and the 满意度回访, in their own cells and types, after the older columns.
func TestExportRectificationColumns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, staff := h.staff(t)
	ctx := context.Background()
	id, _ := h.seed(t, storage.NewOpinion{Content: "收费处只开一个窗口，排队两个小时。", Contact: "13800138000"})
	h.walkTo(t, staff.ID, id, lifecycle.Satisfaction)
	if err := h.store.Rate(ctx, id, "basically", "好多了，周一上午还是挤"); err != nil {
		t.Fatal(err)
	}
	failed, _ := h.seed(t, storage.NewOpinion{Content: "住院部开水房晚上不供水，病人家属很不方便。"})
	h.walkTo(t, staff.ID, failed, lifecycle.LookBack)
	back := fullStep(lifecycle.Rectifying, "")
	back.Note = "复查时晚上十点仍无热水"
	if err := h.store.Transition(ctx, staff.ID, failed, back); err != nil {
		t.Fatal(err)
	}

	r := b.get(t, "/admin/export?month=2026-04&format=xlsx")
	wantStatus(t, r, http.StatusOK)
	x, err := excelize.OpenReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("意见")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], export.Columns) {
		t.Fatalf("header = %q", rows[0])
	}
	col := func(name string) int { return slices.Index(export.Columns, name) }
	if col("信箱") != 14 || col("牵头单位") != 15 {
		t.Errorf("the clerk's columns must follow 信箱 (column 15): 信箱 at %d, 牵头单位 at %d", col("信箱")+1, col("牵头单位")+1)
	}
	byID := map[string]int{}
	for i, row := range rows[1:] {
		byID[row[0]] = i + 2
	}
	cell := func(id, name string) string {
		t.Helper()
		ref, _ := excelize.CoordinatesToCellName(col(name)+1, byID[id])
		v, err := x.GetCellValue("意见", ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	want := map[string]string{"牵头单位": "县人民医院", "责任人": "门诊部主任", "整改措施": "增开窗口，高峰增派人员",
		"整改时限": "2030-01-01", "整改方式": "限期整改", "整改情况": "已增开两个窗口", "核验/回头看": "回头看通过",
		"评价": "基本满意", "评价说明": "好多了，周一上午还是挤", "联系方式": "13800138000", "状态": "满意度回访"}
	for name, w := range want {
		if got := cell(id, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	if got := cell(failed, "核验/回头看"); got != "回头看未通过：复查时晚上十点仍无热水" {
		t.Errorf("a failed look-back reads %q", got)
	}
	ref, _ := excelize.CoordinatesToCellName(col("整改时限")+1, byID[id])
	if raw, _ := x.GetCellValue("意见", ref, excelize.Options{RawCellValue: true}); raw != "47484" {
		t.Errorf("整改时限 raw value %q, want the date serial 47484 (2030-01-01)", raw)
	}
	ref, _ = excelize.CoordinatesToCellName(col("联系方式")+1, byID[id])
	if typ, _ := x.GetCellType("意见", ref); typ != excelize.CellTypeInlineString {
		t.Errorf("联系方式 type %v, want text", typ)
	}
	if style, _ := x.GetCellStyle("意见", "A1"); style == 0 {
		t.Error("the header has no style")
	} else if st, _ := x.GetStyle(style); st.Font == nil || !st.Font.Bold {
		t.Error("the header is not bold")
	}
	hasFilter := false
	for _, dn := range x.GetDefinedName() {
		hasFilter = hasFilter || dn.Name == "_xlnm._FilterDatabase"
	}
	if !hasFilter {
		t.Error("no autofilter")
	}
}

// TestExportStatsSayWhatTheyOmit: the 统计 sheet says which opinions the reader's counts leave
// out — for an administrator the 举报, counted only in 纪检's — and so does the satisfaction
// page.
func TestExportStatsSayWhatTheyOmit(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	for _, role := range []string{"admin", "discipline"} {
		t.Run(role, func(t *testing.T) {
			b := w.browsers[role]
			r := b.get(t, "/admin/export?month=2026-04&format=xlsx")
			wantStatus(t, r, http.StatusOK)
			x, err := excelize.OpenReader(strings.NewReader(r.Body))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			note, _ := x.GetCellValue("统计", "A1")
			omitted := access.Viewer{Role: role}.Omitted()
			if !strings.HasPrefix(note, "说明：") || !strings.Contains(note, omitted) {
				t.Errorf("统计!A1 = %q, want the note with %q", note, omitted)
			}
			if role == "admin" && !strings.Contains(note, "举报只由纪检监察查看，只计入纪检监察的统计") {
				t.Errorf("an administrator's 统计 does not say where the 举报 are counted: %q", note)
			}
			page := b.get(t, "/admin/satisfaction")
			wantStatus(t, page, http.StatusOK)
			wantContains(t, page.Body, omitted)
		})
	}
}
