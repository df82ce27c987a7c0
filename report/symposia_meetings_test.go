package report

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/stats"
	"minsheng/storage"
)

// seedMeetings stores two December meetings: one at the county hospital (20 took part) where
// two ordinary opinions, one about the hospital's leadership and one 举报 were raised, the
// first of them then closed (办结) and the next two handed to the hospital; one at the TCM
// hospital (9 took part) with one opinion.
func seedMeetings(t *testing.T) *world {
	t.Helper()
	w, _, uid := seedDecember(t)
	ctx := context.Background()
	raised := func(unit, content, typ string, leadership bool) storage.NewOpinion {
		return storage.NewOpinion{Type: typ, UnitCode: unit, Submitter: "staff", Content: content, Channel: "forum",
			ReceivedOn: "2026-12-10", AboutLeadership: leadership}
	}
	var first int64
	for i, n := range []storage.NewSymposium{
		{HeldOn: "2026-12-10", UnitCode: "county-hospital", Host: "王院长", Categories: []string{"staff"}, Participants: 20,
			Opinions: []storage.NewOpinion{raised("county-hospital", "夜班人手不够，病人等得久。", "opinion", false),
				raised("county-hospital", "食堂饭菜太贵。", "opinion", false),
				raised("county-hospital", "院领导开会太多，科室的事没人拍板。", "opinion", true),
				raised("county-hospital", "有人收红包，请查一查。", "report", false)}},
		{HeldOn: "2026-12-20", UnitCode: "tcm-hospital", Host: "副院长", Categories: []string{"patient"}, Participants: 9,
			Opinions: []storage.NewOpinion{raised("tcm-hospital", "中药房排队太久。", "opinion", false)}},
	} {
		for range n.Opinions {
			n.Hashes = append(n.Hashes, []byte{byte(i), byte(len(n.Hashes)), 7, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
		}
		id, _, err := w.st.RecordSymposium(ctx, 0, n)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = id
		}
	}
	list, _, err := w.st.SymposiumOpinions(ctx, first, access.Viewer{Role: access.Admin})
	if err != nil || len(list) == 0 {
		t.Fatalf("the first meeting's opinions: %d, %v", len(list), err)
	}
	step := func(id string, s lifecycle.Step) {
		t.Helper()
		if err := w.st.Transition(ctx, uid, id, s); err != nil {
			t.Fatalf("%s → %s: %v", id, s.To, err)
		}
	}
	step(list[0].ID, lifecycle.Step{To: lifecycle.Triaged})
	step(list[0].ID, lifecycle.Step{To: lifecycle.Closed, Note: "当场答复，已解决。"})
	for _, o := range list[1:3] { // the canteen and the leadership: handed to the hospital
		step(o.ID, lifecycle.Step{To: lifecycle.Triaged})
		step(o.ID, lifecycle.Step{To: lifecycle.Assigned, LeadUnit: "county-hospital", Responsible: "院办主任",
			Measures: "研究答复", Ledger: "problem", Deadline: "2027-01-30"})
	}
	return w
}

// TestSymposiaPerMeeting: the report lists each meeting of the period with the opinions raised
// at it and how many of them are closed, counted in the reader's scope: the office leaves out
// 举报 (纪检's version counts them in its own section only), and a liaison sees their own unit's
// meeting only, counting only what they may read (the work handed to the unit, never what
// concerns its own leadership).
func TestSymposiaPerMeeting(t *testing.T) {
	w := seedMeetings(t)
	ctx := context.Background()
	zh := locale.Get(locale.ZhCN)
	liaison := decemberQuery(t, access.Liaison)
	liaison.Viewer.Unit = "county-hospital"
	tests := []struct {
		name string
		q    stats.Query
		want [][]string
	}{
		{"reviewer", decemberQuery(t, access.Reviewer), [][]string{
			{"2026-12-10", "县人民医院", "王院长", "20", "3", "1"},
			{"2026-12-20", "县中医院", "副院长", "9", "1", "0"}}},
		// 纪检's version is the office's figures with its own 举报 section: the meetings as the office's.
		{"discipline", decemberQuery(t, access.Discipline), [][]string{
			{"2026-12-10", "县人民医院", "王院长", "20", "3", "1"},
			{"2026-12-20", "县中医院", "副院长", "9", "1", "0"}}},
		{"liaison", liaison, [][]string{
			{"2026-12-10", "县人民医院", "王院长", "20", "1", "0"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Draft(ctx, w.st, tc.q, Summary, zh)
			if err != nil {
				t.Fatal(err)
			}
			tables := symposiaTables(r, zh)
			if tables == nil {
				t.Fatal("no meetings section")
			}
			got := tables["symposia-meetings"]
			if !reflect.DeepEqual(got.Rows, tc.want) {
				t.Errorf("meetings = %v, want %v", got.Rows, tc.want)
			}
			if want := []string{"召开日期", "单位", "主持人", "参加人数", "提出意见（条）", "其中已办结（条）"}; !reflect.DeepEqual(got.Header, want) {
				t.Errorf("header = %v, want %v", got.Header, want)
			}
		})
	}
}

// TestSymposiaPerMeetingInFiles: the printable page, the Word and Excel files carry the
// meetings table, its counts as numbers in the workbook.
func TestSymposiaPerMeetingInFiles(t *testing.T) {
	w := seedMeetings(t)
	zh := locale.Get(locale.ZhCN)
	r, err := Draft(context.Background(), w.st, decemberQuery(t, access.Reviewer), Summary, zh)
	if err != nil {
		t.Fatal(err)
	}
	var hb bytes.Buffer
	if err := WriteHTML(&hb, r, zh); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<caption>各次座谈会提出意见情况</caption>", "<td>王院长</td>"} {
		if !strings.Contains(hb.String(), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	var xb bytes.Buffer
	if err := WriteXLSX(&xb, r, zh); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xb)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("各次座谈会提出意见情况")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2026-12-10", "县人民医院", "王院长", "20", "3", "1"}; len(rows) != 3 || !reflect.DeepEqual(rows[1], want) {
		t.Errorf("meetings sheet = %v, want the header, then %v and one more", rows, want)
	}
	if typ, _ := f.GetCellType("各次座谈会提出意见情况", "E2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("E2 is text (%v), want the number 3", typ)
	}
	var db bytes.Buffer
	if err := WriteDOCX(&db, r, zh); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(db.Bytes()), int64(db.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, part := range zr.File {
		if part.Name != "word/document.xml" {
			continue
		}
		rc, err := part.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		doc = string(b)
	}
	for _, want := range []string{"各次座谈会提出意见情况", "其中已办结（条）", "王院长", "副院长"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
}
