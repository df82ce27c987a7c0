package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/campaign"
	"minsheng/storage"
)

// Ensure "minsheng report -campaign ID [-phase N]" writes the campaign's report, and refuses a
// campaign beside a period, a phase without a campaign, and a campaign the database lacks.
func TestReportCommandCampaign(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if _, err := runCmd(t, "seed", "-db", db, "-n", "30", "-months", "1"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := storage.Open(ctx, db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	day := func(offset int) string { return time.Now().AddDate(0, 0, offset).Format("2006-01-02") }
	id, err := st.SaveCampaign(ctx, 0, campaign.Campaign{Name: "命令行活动", ImmediateDays: 5, LimitedDays: 30, Phases: []campaign.Phase{
		{Kind: campaign.Listen, StartsOn: day(-20), EndsOn: day(-1)},
		{Kind: campaign.Rectify, StartsOn: day(0), EndsOn: day(20)}}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	ids := strconv.FormatInt(id, 10)
	path := filepath.Join(dir, "c.html")
	out, err := runCmd(t, "report", "-db", db, "-campaign", ids, "-phase", "1", "-o", path)
	if err != nil || !strings.Contains(out, "campaign "+ids) {
		t.Fatalf("%q, %v", out, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"全系统命令行活动（听取意见阶段）工作报告", "活动：命令行活动（听取意见阶段）", "各阶段情况", "没有可以比较的上一次活动"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, args := range [][]string{
		{"-campaign", ids, "-period", "2026-12", "-o", filepath.Join(dir, "a.docx")},
		{"-phase", "1", "-period", "2026-12", "-o", filepath.Join(dir, "a.docx")},
		{"-campaign", "999", "-o", filepath.Join(dir, "a.docx")},
		{"-campaign", ids, "-phase", "7", "-o", filepath.Join(dir, "a.docx")},
	} {
		_, err := runCmd(t, append([]string{"report", "-db", db}, args...)...)
		if exitCode(err) != 2 {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "a.docx")); !os.IsNotExist(err) {
		t.Error("a refused command left a file behind")
	}
}
