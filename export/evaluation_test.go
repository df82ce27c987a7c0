package export

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/sifeng"
	"minsheng/storage"
)

// summaryOf builds a summary of n answers: n-1 rated 好, one 差; one tick of 文山会海.
func summaryOf(n int) storage.EvaluationSummary {
	sum := storage.EvaluationSummary{Answers: n, Evaluation: storage.Evaluation{Title: "领导班子作风民主评议",
		Meeting: "动员大会", UnitName: "县卫生健康局机关", OpensOn: "2026-04-15", ClosesOn: "2026-04-20", Issued: 10, Used: n},
		Suggestions: []string{"=HYPERLINK(\"x\")", "少开会"}}
	for _, t := range storage.EvaluationOveralls {
		c := 0
		switch t.Code {
		case "good":
			c = n - 1
		case "poor":
			c = 1
		}
		sum.Ratings = append(sum.Ratings, storage.RatingCount{Term: t, Share: storage.Share{Count: c, Of: n}})
	}
	for _, st := range sifeng.Styles {
		ss := storage.StyleSummary{Style: st, Answers: storage.Share{Of: n}}
		for _, m := range sifeng.ManifestationsOf(st.Code) {
			p := storage.ProblemCount{Manifestation: m, Share: storage.Share{Of: n}}
			if m.Code == "formalism-meetings" {
				p.Count, ss.Answers.Count = 1, 1
			}
			ss.Problems = append(ss.Problems, p)
		}
		if st.Code == "hedonism" {
			ss.Others = []string{"午休过长"}
		}
		sum.Styles = append(sum.Styles, ss)
	}
	return sum
}

// find returns the cells of the row whose column A is label.
func find(t *testing.T, f *excelize.File, sheet, label string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == label {
			return r
		}
	}
	t.Fatalf("%s: no row %q", sheet, label)
	return nil
}

func TestWriteEvaluation(t *testing.T) {
	tests := []struct {
		name                         string
		answers                      int
		goodShare, favourable, style string
	}{
		{"enough answers", 8, "87.5%", "87.5%", "12.5%"},
		{"fewer than five", 4, "<5", "<5", "<5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteEvaluation(&buf, summaryOf(tt.answers)); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); len(got) != 2 || got[0] != "汇总" || got[1] != "意见建议" {
				t.Fatalf("sheets = %v", got)
			}
			if r := find(t, f, "汇总", "好"); r[2] != tt.goodShare {
				t.Errorf("好 row = %v, want share %s", r, tt.goodShare)
			}
			if r := find(t, f, "汇总", "好评率（好 + 较好）"); r[2] != tt.favourable {
				t.Errorf("好评率 row = %v, want %s", r, tt.favourable)
			}
			if r := find(t, f, "汇总", "　文山会海（会议、文件、简报过多）"); r[1] != "1" || r[2] != tt.style {
				t.Errorf("文山会海 row = %v, want 1 and %s", r, tt.style)
			}
			if r := find(t, f, "汇总", "评议码"); r[1] != "已打印 10 份，已使用 "+strconv.Itoa(tt.answers)+" 份" {
				t.Errorf("codes row = %v", r)
			}
			if r := find(t, f, "意见建议", "其他享乐主义问题"); r[1] != "午休过长" {
				t.Errorf("other problems row = %v", r)
			}
			rows, _ := f.GetRows("意见建议")
			if last := rows[len(rows)-1]; last[1] != "少开会" || rows[len(rows)-2][1] != "'=HYPERLINK(\"x\")" {
				t.Errorf("suggestions = %v, want in order and neutralised", rows)
			}
		})
	}
}
