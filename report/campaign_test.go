package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/stats"
	"minsheng/storage"
)

// twoCampaigns stores an autumn and a winter campaign of 2026, each a 听取意见 phase and a
// 整改落实 phase, and opinions in them (the writer records the campaign of the day): autumn 2
// in its first phase and 1 in its second, winter 3 and 1, and one between the two. Today is
// 2026-12-31; it returns the campaigns (most recently started first) and a reviewer's id.
func twoCampaigns(t *testing.T) (*world, []campaign.Campaign, int64) {
	t.Helper()
	w := newWorld(t)
	ctx := context.Background()
	for _, c := range []campaign.Campaign{
		{Name: "秋季活动", ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: "2026-09-01", EndsOn: "2026-09-30"},
			{Kind: campaign.Rectify, StartsOn: "2026-10-01", EndsOn: "2026-10-20"}}},
		{Name: "冬季活动", ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
			{Kind: campaign.Listen, StartsOn: "2026-11-01", EndsOn: "2026-11-30"},
			{Kind: campaign.Rectify, StartsOn: "2026-12-01", EndsOn: "2026-12-20"}}},
	} {
		if _, err := w.st.SaveCampaign(ctx, 0, c); err != nil {
			t.Fatal(err)
		}
	}
	for day, n := range map[string]int{"2026-09-05": 2, "2026-10-03": 1, "2026-10-25": 1, "2026-11-03": 3, "2026-12-03": 1} {
		w.on(day)
		for range n {
			w.opinion(storage.NewOpinion{})
		}
	}
	u, err := w.st.CreateUser(ctx, 0, "office", "password-long-enough", access.Reviewer)
	if err != nil {
		t.Fatal(err)
	}
	w.on("2026-12-31")
	all, err := w.st.Campaigns(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "冬季活动" {
		t.Fatalf("campaigns %v, %v", all, err)
	}
	return w, all, u.ID
}

// TestDraftCampaign: a campaign report's figures are stats.Compute's with the campaign filter;
// it is compared with the previous campaign (its whole, or its phase of the same kind), carries
// the per-phase table, is titled by the campaign, and says so in its sentences.
func TestDraftCampaign(t *testing.T) {
	w, all, _ := twoCampaigns(t)
	ctx := context.Background()
	zh := locale.Get(locale.ZhCN)
	v := access.Viewer{Role: access.Reviewer}
	winter, autumn := all[0], all[1]
	tests := []struct {
		name          string
		c             campaign.Campaign
		phase         int
		period        string
		now, previous int // -1: no previous
		title, first  string
	}{
		{"whole winter", winter, 0, "2026-11-01..2026-12-20", 4, 3, "全系统冬季活动工作报告",
			"冬季活动共收到意见建议4条，比上一次活动（秋季活动）增加1条（上次3条）。"},
		{"winter's hearing", winter, 1, "2026-11-01..2026-11-30", 3, 2, "全系统冬季活动（听取意见阶段）工作报告",
			"冬季活动（听取意见阶段）共收到意见建议3条，比上一次活动（秋季活动（听取意见阶段））增加1条（上次2条）。"},
		{"the first campaign", autumn, 2, "2026-10-01..2026-10-20", 1, -1, "全系统秋季活动（整改落实阶段）工作报告",
			"秋季活动（整改落实阶段）共收到意见建议1条，没有可以比较的上一次活动。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DraftCampaign(ctx, w.st, CampaignQuery{All: all, ID: tt.c.ID, Phase: tt.phase, Viewer: v, Printer: zh}, Summary)
			if err != nil {
				t.Fatal(err)
			}
			q, err := stats.CampaignQuery(tt.c, tt.phase, v, w.st.Today())
			if err != nil {
				t.Fatal(err)
			}
			q.Printer = zh
			want, err := stats.Compute(ctx, w.st, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Figures.Current, want) {
				t.Errorf("figures differ from stats.Compute with the campaign filter:\n%+v\n%+v", r.Figures.Current, want)
			}
			if r.Figures.Current.Total != tt.now || r.Period.String() != tt.period {
				t.Errorf("total %d over %s, want %d over %s", r.Figures.Current.Total, r.Period, tt.now, tt.period)
			}
			switch {
			case tt.previous < 0 && (r.Figures.Previous != nil || r.Campaign.Before != nil):
				t.Errorf("the first campaign compared with %+v", r.Figures.Previous)
			case tt.previous >= 0 && (r.Figures.Previous == nil || r.Figures.Previous.Total != tt.previous || r.Campaign.Before.Total != tt.previous):
				t.Errorf("previous campaign %+v, want %d", r.Figures.Previous, tt.previous)
			}
			if r.Figures.LastYear != nil {
				t.Errorf("a campaign report counted last year")
			}
			if r.Title != tt.title || Paragraphs(r.Narrative.Basics)[0] != tt.first {
				t.Errorf("title %q, first sentence %q; want %q, %q", r.Title, Paragraphs(r.Narrative.Basics)[0], tt.title, tt.first)
			}
			secs := r.Sections(zh)
			if secs[0].Key != "campaign" || len(secs[0].Tables[0].Rows) != len(tt.c.Phases)+1+min(1, tt.previous+1) {
				t.Fatalf("first section %s with rows %v", secs[0].Key, secs[0].Tables[0].Rows)
			}
			for i, ph := range tt.c.Phases {
				got := secs[0].Tables[0].Rows[i][1]
				row, err := stats.CampaignRowOf(ctx, w.st, tt.c, ph.Seq, v, zh)
				if err != nil {
					t.Fatal(err)
				}
				if got != zh.Number(row.Total) {
					t.Errorf("phase %d received %s, the figures page counts %d", ph.Seq, got, row.Total)
				}
			}
			for _, sec := range secs {
				for _, tb := range sec.Tables {
					for _, h := range tb.Header {
						if h == zh.T("report.col.yoy") || h == zh.T("report.col.mom") || h == zh.T("report.col.last_year") {
							t.Errorf("table %s still has the column %s", tb.Key, h)
						}
					}
				}
			}
		})
	}
	if _, err := DraftCampaign(ctx, w.st, CampaignQuery{All: all, ID: 999, Viewer: v, Printer: zh}, Summary); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("unknown campaign: %v", err)
	}
	if _, err := DraftCampaign(ctx, w.st, CampaignQuery{All: all, ID: winter.ID, Phase: 9, Viewer: v, Printer: zh}, Summary); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("unknown phase: %v", err)
	}
}

// TestIssueCampaignReport: a campaign report is issued and read back with its campaign; its
// saved draft is its own, not the period report's of the same dates; a period report's frozen
// JSON has no campaign field at all, so a report issued before campaigns re-encodes to the same
// bytes and keeps its SHA-256.
func TestIssueCampaignReport(t *testing.T) {
	w, all, uid := twoCampaigns(t)
	ctx := context.Background()
	zh := locale.Get(locale.ZhCN)
	v := access.Viewer{Role: access.Reviewer}
	r, err := DraftCampaign(ctx, w.st, CampaignQuery{All: all, ID: all[0].ID, Phase: 1, Viewer: v, Printer: zh}, Summary)
	if err != nil {
		t.Fatal(err)
	}
	byPeriod, err := Draft(ctx, w.st, stats.Query{Period: r.Period, Viewer: v, Today: "2026-12-31"}, Summary, zh)
	if err != nil {
		t.Fatal(err)
	}
	byPeriod.Narrative.Causes = "the period report's"
	if err := SaveDraft(ctx, w.st, uid, byPeriod); err != nil {
		t.Fatal(err)
	}
	if saved, err := ApplySaved(ctx, w.st, r); err != nil || saved {
		t.Fatalf("the campaign report found the period report's draft: %v, %v", saved, err)
	}
	issued, err := Issue(ctx, w.st, uid, r, "")
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(ctx, w.st, issued.Number)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Campaign == nil || loaded.Campaign.ID != all[0].ID || loaded.Campaign.Phase != 1 || loaded.Campaign.PhaseName != "听取意见" ||
		loaded.Title != "全系统冬季活动（听取意见阶段）工作报告" || loaded.Frozen[0].Key != "campaign" {
		t.Errorf("loaded campaign %+v, title %q", loaded.Campaign, loaded.Title)
	}

	old, err := Issue(ctx, w.st, uid, byPeriod, "")
	if err != nil {
		t.Fatal(err)
	}
	row, err := w.st.IssuedReport(ctx, old.Number)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(row.Body, &fields); err != nil {
		t.Fatal(err)
	}
	if _, ok := fields["campaign"]; ok {
		t.Errorf("a period report's frozen JSON has a campaign field: old reports would not re-encode the same")
	}
	back, err := Load(ctx, w.st, old.Number)
	if err != nil {
		t.Fatal(err)
	}
	again, err := back.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, row.Body) || Sum(again) != row.SHA256 || back.Campaign != nil {
		t.Errorf("a period report read back re-encodes differently")
	}
	if !strings.Contains(string(row.Body), `"narrative"`) {
		t.Errorf("body %s", row.Body)
	}
}

// TestCampaignWriters: the .docx, the .xlsx and the HTML of a campaign report name the campaign
// under the title and hold the per-phase table.
func TestCampaignWriters(t *testing.T) {
	w, all, _ := twoCampaigns(t)
	ctx := context.Background()
	zh := locale.Get(locale.ZhCN)
	r, err := DraftCampaign(ctx, w.st, CampaignQuery{All: all, ID: all[0].ID, Viewer: access.Viewer{Role: access.Reviewer}, Printer: zh}, Summary)
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{"活动：冬季活动", "各阶段情况", "全活动", "上一次活动：秋季活动", "本次活动"}
	var doc, page bytes.Buffer
	if err := WriteDOCX(&doc, r, zh); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(doc.Bytes()), int64(doc.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			body = string(b)
		}
	}
	if err := WriteHTML(&page, r, zh); err != nil {
		t.Fatal(err)
	}
	var book bytes.Buffer
	if err := WriteXLSX(&book, r, zh); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		cells = append(cells, sheet)
		for _, row := range rows {
			cells = append(cells, row...)
		}
	}
	xlsx := strings.Join(cells, "\n")
	for name, text := range map[string]string{"docx": body, "html": page.String(), "xlsx": xlsx} {
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		if strings.Contains(text, "同比") {
			t.Errorf("%s compares with last year", name)
		}
	}
}

// TestLoadReportIssuedBeforeCampaigns: the frozen JSON of a report issued before campaign
// reports existed (written by main's code of 7 December 2026, testdata) is archived as it was
// and still loads: its SHA-256 verifies, and it reads as a period report.
func TestLoadReportIssuedBeforeCampaigns(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	body, err := os.ReadFile("testdata/issued-before-campaigns.json")
	if err != nil {
		t.Fatal(err)
	}
	const sumOnMain = "49eb4b7a339d82b8de8e41b540d9c2280940abb0124a706b0ddc612a08d819ad"
	if Sum(body) != sumOnMain {
		t.Fatalf("the testdata changed: %s", Sum(body))
	}
	u, err := w.st.CreateUser(ctx, 0, "office", "password-long-enough", access.Reviewer)
	if err != nil {
		t.Fatal(err)
	}
	k := storage.ReportKey{Kind: Summary, Period: "2026-12"}
	row, err := w.st.IssueReport(ctx, u.ID, k, "全系统2026年12月意见建议情况汇总报告", "", func(string, string, string) ([]byte, error) { return body, nil })
	if err != nil {
		t.Fatal(err)
	}
	r, err := Load(ctx, w.st, row.Number)
	if err != nil {
		t.Fatal(err)
	}
	if r.SHA256 != sumOnMain || r.Campaign != nil || r.Period.String() != "2026-12" || r.Title != "全系统2026年12月意见建议情况汇总报告" ||
		r.Narrative.Causes != "签发于活动功能之前。" || len(r.Frozen) == 0 || r.Figures.LastYear == nil {
		t.Errorf("loaded %s: campaign %v, period %s, title %q, causes %q, %d sections", r.SHA256, r.Campaign, r.Period, r.Title, r.Narrative.Causes, len(r.Frozen))
	}
	if r.MetaLines(locale.Get(locale.ZhCN))[0] != "统计期间：2026年12月（2026-12-01至2026-12-31）" {
		t.Errorf("meta lines %q", r.MetaLines(locale.Get(locale.ZhCN)))
	}
}
