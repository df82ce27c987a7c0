package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/report"
	"minsheng/stats"
	"minsheng/storage"
)

// The month of the role world's opinions (the harness clock stands on 2026-04-15).
const reportMonth = "2026-04"

// issueReport issues the drafted summary report of month as a reviewer made for it, straight
// through package report, for pages that need one in the archive.
func issueReport(t *testing.T, h *harness, month string) *report.Report {
	t.Helper()
	ctx := context.Background()
	u, err := h.store.CreateUser(ctx, 0, "report-writer", staffPassword, storage.RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := period.Parse(month)
	if err != nil {
		t.Fatal(err)
	}
	q := stats.Query{Period: pd, Viewer: access.Viewer{Role: access.Reviewer}, Today: h.store.Today()}
	r, err := report.Draft(ctx, h.store, q, report.Summary, locale.Get(locale.Default))
	if err != nil {
		t.Fatalf("report.Draft: %v", err)
	}
	issued, err := report.Issue(ctx, h.store, u.ID, r, "")
	if err != nil {
		t.Fatalf("report.Issue: %v", err)
	}
	return issued
}

// reportText is what staff wrote or the draft wrote into r, in zh-CN whatever the reader's
// language: its title and every paragraph of its narrative (data, for the language tests).
func reportText(r *report.Report) []string {
	out := []string{r.Title}
	if r.Figures != nil && r.Figures.Current != nil && r.Figures.Current.Omitted != "" {
		out = append(out, r.Figures.Current.Omitted) // frozen in the language it was issued in
	}
	for _, part := range r.Narrative.Parts() {
		out = append(out, report.Paragraphs(part.Text)...)
	}
	return out
}

// frozenText lists the words of an issued report's frozen sections (headings, sentences, tables,
// chart labels): the document as issued, in the language it was drafted in, whoever reads it.
func frozenText(r *report.Report) []string {
	var out []string
	table := func(t report.Table) {
		out = append(out, t.Title, t.Note)
		out = append(out, t.Header...)
		for _, row := range t.Rows {
			out = append(out, row...)
		}
	}
	for _, s := range r.Frozen {
		out = append(out, s.Title, s.Text)
		for _, t := range s.Tables {
			table(t)
		}
		for _, c := range s.Charts {
			out = append(out, c.Title)
			out = append(out, c.Labels...)
			for _, series := range c.Series {
				out = append(out, series.Name)
			}
			table(c.Table)
		}
	}
	return out
}

// wantAudited fails unless one of the newest audit rows is action by username with detail.
func wantAudited(t *testing.T, h *harness, username, action, detail string) {
	t.Helper()
	rows, err := h.store.RecentAudit(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rows {
		if e.Username == username && e.Action == action && e.Detail == detail {
			return
		}
	}
	t.Errorf("no audit row %s %s %q among the newest: %+v", username, action, detail, rows)
}

// draftForm is a posted draft of the monthly summary of reportMonth with what staff wrote.
func draftForm(extra url.Values) url.Values {
	v := url.Values{
		"period":   {reportMonth},
		"kind":     {"summary"},
		"title":    {"2026年4月意见建议办理情况汇总"},
		"basics":   {"本月共收到意见建议若干条，已全部登记。"},
		"problems": {"挂号排队时间长的问题比较集中。"},
		"causes":   {"高峰时段窗口开放不足。"},
		"measures": {"增开窗口，推行分时段预约。"},
	}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

var (
	articleRe = regexp.MustCompile(`(?s)<article class="report".*?</article>`)
	shaRe     = regexp.MustCompile(`id="report-sha"[^>]*>([0-9a-f]{64})<`)
)

// article is the report document of a page: what is issued, without the page's tools around it.
func article(t *testing.T, body string) string {
	t.Helper()
	a := articleRe.FindString(body)
	if a == "" {
		t.Fatalf("no report article in the page:\n%s", body)
	}
	return a
}

// TestReportDraftAccess: who may open which draft, through the router.
func TestReportDraftAccess(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	draft := "/admin/reports/draft?period=" + reportMonth
	tests := []struct {
		name, who, target string
		status            int
		wants, nots       []string
	}{
		{"reviewer drafts the system's", "reviewer", draft, 200, []string{`id="part-basics"`, `id="issue"`, `id="save"`, "全系统", "与群众的沟通（按消息日期统计）"}, nil},
		{"admin drafts a unit's", "admin", draft + "&unit=tcm-hospital", 200, []string{`id="issue"`, "县中医院"}, nil},
		{"supervisor reads the summary, does not issue it", "supervisor", draft, 200, []string{`id="part-basics"`}, []string{`id="issue"`}},
		{"supervisor issues the evaluation report", "supervisor", draft + "&kind=evaluation", 200, []string{`id="issue"`}, nil},
		{"discipline gets its own version", "discipline", draft, 200, []string{"纪检版（含举报）", `id="issue"`}, nil},
		{"liaison: own unit by default", "liaison-county", draft, 200, []string{`id="issue"`, `id="report-unit">县人民医院`}, nil},
		{"liaison: another unit refused", "liaison-county", draft + "&unit=tcm-hospital", 403, nil, nil},
		{"leader: drafts refused", "leader-tcm", draft, 403, nil, nil},
		{"leader reads the archive without the form", "leader-tcm", "/admin/reports", 200, []string{"已签发的报告"}, []string{`action="/admin/reports/draft"`}},
		{"liaison's archive form offers only its unit", "liaison-county", "/admin/reports", 200,
			[]string{`<option value="county-hospital"`}, []string{`<option value="tcm-hospital"`, `<option value="">`}},
		{"bad period: 422 beside the field, input kept", "reviewer", "/admin/reports/draft?period=2026-13", 422,
			[]string{"看不懂这个期间", `value="2026-13"`, `aria-invalid="true"`}, nil},
		{"bad range: 422", "reviewer", "/admin/reports/draft?period=2026-12-01..2026-11-01", 422, []string{"看不懂这个期间"}, nil},
		{"bad kind: 422", "reviewer", draft + "&kind=nonsense", 422, []string{"没有这种报告类型"}, nil},
		{"unknown report to correct: 422", "reviewer", draft + "&replaces=2099-999", 422, []string{"2099-999"}, nil},
		{"unknown issued report: 404", "reviewer", "/admin/reports/2099-999", 404, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := w.browsers[tc.who].get(t, tc.target)
			wantStatus(t, r, tc.status)
			wantContains(t, r.Body, tc.wants...)
			wantNotContains(t, r.Body, tc.nots...)
		})
	}
}

// TestReportSaveAndIssue walks a report's life through the router: save (303), a refused save
// (422, text kept), 签发 (303 to the frozen copy), the copy unchanged after an opinion is
// re-tagged while the draft moves, its files, who reads it, and a correction.
func TestReportSaveAndIssue(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	ctx := context.Background()
	rev := w.browsers["reviewer"]
	complaint := w.ids["county complaint"]

	t.Run("save: 303 back to the draft, which shows what was saved", func(t *testing.T) {
		r := rev.post(t, "/admin/reports/draft", draftForm(url.Values{"case_id": {complaint}, "case_summary": {"挂号处态度问题已整改"}}))
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.Contains(r.location(), "saved=1") || !strings.Contains(r.location(), "period="+reportMonth) {
			t.Fatalf("Location %q: want the draft with saved=1", r.location())
		}
		page := rev.follow(t, r)
		wantStatus(t, page, 200)
		wantContains(t, page.Body, "草稿已保存", "增开窗口，推行分时段预约。", `value="`+complaint+`"`, "挂号处态度问题已整改")
	})

	t.Run("a case the writer may not open: 422, text kept", func(t *testing.T) {
		for _, id := range []string{"NOSUCHID00", w.ids["misconduct report"]} {
			r := rev.post(t, "/admin/reports/draft", draftForm(url.Values{"case_id": {id}, "case_summary": {"x"}, "causes": {"这是刚写的原因分析。"}}))
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, "没有编号为 "+id+" 的意见", "这是刚写的原因分析。", "没有保存")
		}
	})

	t.Run("a bad period posted: 422 on the archive's form", func(t *testing.T) {
		r := rev.post(t, "/admin/reports/issue", draftForm(url.Values{"period": {"2026-Q5"}}))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "看不懂这个期间", `value="2026-Q5"`)
	})

	t.Run("issue refused to whom report.MayIssue refuses", func(t *testing.T) {
		sup := w.browsers["supervisor"]
		wantStatus(t, sup.post(t, "/admin/reports/issue", draftForm(nil)), http.StatusForbidden)
		liaison := w.browsers["liaison-county"]
		wantStatus(t, liaison.post(t, "/admin/reports/issue", draftForm(url.Values{"unit": {"tcm-hospital"}})), http.StatusForbidden)
	})

	var issuedArticle, sha string
	t.Run("issue: 303 to the frozen copy with number and SHA-256", func(t *testing.T) {
		r := rev.post(t, "/admin/reports/issue", draftForm(url.Values{"case_id": {complaint}, "case_summary": {"挂号处态度问题已整改"}}))
		wantStatus(t, r, http.StatusSeeOther)
		if got := r.location(); got != "/admin/reports/2026-001" {
			t.Fatalf("Location %q, want /admin/reports/2026-001", got)
		}
		page := rev.follow(t, r)
		wantStatus(t, page, 200)
		wantContains(t, page.Body, `id="report-number">2026-001`, "2026年4月意见建议办理情况汇总", "增开窗口，推行分时段预约。",
			`href="/admin/reports/2026-001.docx"`, `id="correct"`)
		wantNotContains(t, page.Body, `id="draft-form"`, "<textarea")
		m := shaRe.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no SHA-256 on the issued page")
		}
		sha, issuedArticle = m[1], article(t, page.Body)
		row, err := w.h.store.IssuedReport(ctx, "2026-001")
		if err != nil || row.SHA256 != sha || row.IssuedBy != "reviewer" {
			t.Fatalf("archived row %+v, %v: want SHA %s issued by reviewer", row, err, sha)
		}
		list := rev.get(t, "/admin/reports")
		wantContains(t, list.Body, `href="/admin/reports/2026-001"`, sha[:12], "<td>2026年4月</td>")
		wantAudited(t, w.h, "reviewer", "report_issue", "2026-001 "+sha)
	})

	t.Run("re-tagging moves the draft, never the issued copy", func(t *testing.T) {
		before := article(t, rev.get(t, "/admin/reports/draft?period="+reportMonth).Body)
		if err := w.h.store.SetStyles(ctx, 0, complaint, []string{"formalism", "bureaucratism"}); err != nil {
			t.Fatal(err)
		}
		after := article(t, rev.get(t, "/admin/reports/draft?period="+reportMonth).Body)
		if before == after {
			t.Errorf("the draft did not change after re-tagging %s: the check below would prove nothing", complaint)
		}
		page := rev.get(t, "/admin/reports/2026-001")
		wantStatus(t, page, 200)
		if got := article(t, page.Body); got != issuedArticle {
			t.Errorf("the issued report changed after re-tagging:\nbefore %s\nafter  %s", issuedArticle, got)
		}
		wantContains(t, page.Body, sha)
	})

	t.Run("files of the issued report and of the draft", func(t *testing.T) {
		for _, target := range []string{"/admin/reports/2026-001.docx", "/admin/reports/2026-001.xlsx",
			"/admin/reports/draft.docx?period=" + reportMonth, "/admin/reports/draft.xlsx?period=" + reportMonth} {
			r := rev.get(t, target)
			wantStatus(t, r, 200)
			if !strings.HasPrefix(r.Body, "PK") {
				t.Errorf("GET %s: not a zip (starts %q)", target, r.Body[:min(4, len(r.Body))])
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
				t.Errorf("GET %s: Content-Disposition %q", target, cd)
			}
		}
		wantAudited(t, w.h, "reviewer", "export", "docx report 2026-001")
	})

	t.Run("who reads the issued system report", func(t *testing.T) {
		for who, status := range map[string]int{"admin": 200, "supervisor": 200, "discipline": 200, "leader-tcm": 200,
			"liaison-county": 404} {
			if got := w.browsers[who].get(t, "/admin/reports/2026-001").Code; got != status {
				t.Errorf("%s: status %d, want %d", who, got, status)
			}
		}
		wantNotContains(t, w.browsers["liaison-county"].get(t, "/admin/reports").Body, "2026-001")
	})

	t.Run("纪检's version is 纪检's alone", func(t *testing.T) {
		dis := w.browsers["discipline"]
		r := dis.post(t, "/admin/reports/issue", draftForm(nil))
		wantStatus(t, r, http.StatusSeeOther)
		number := strings.TrimPrefix(r.location(), "/admin/reports/")
		wantContains(t, dis.follow(t, r).Body, "纪检版（含举报）")
		wantStatus(t, rev.get(t, "/admin/reports/"+number), 404)
		wantStatus(t, rev.get(t, "/admin/reports/"+number+".docx"), 404)
		wantNotContains(t, rev.get(t, "/admin/reports").Body, `href="/admin/reports/`+number+`"`)
		wantContains(t, dis.get(t, "/admin/reports").Body, `href="/admin/reports/`+number+`"`, `href="/admin/reports/2026-001"`)
	})

	t.Run("更正: a new issue naming the one it replaces; the old one unchanged", func(t *testing.T) {
		draft := rev.get(t, "/admin/reports/draft?period="+reportMonth+"&kind=summary&replaces=2026-001")
		wantStatus(t, draft, 200)
		wantContains(t, draft.Body, `name="replaces" value="2026-001"`, "这是对已签发报告 2026-001 的更正")
		r := rev.post(t, "/admin/reports/issue", draftForm(url.Values{"replaces": {"2026-001"}, "measures": {"更正：增开三个窗口。"}}))
		wantStatus(t, r, http.StatusSeeOther)
		page := rev.follow(t, r)
		wantContains(t, page.Body, `id="report-replaces"><a href="/admin/reports/2026-001">2026-001</a>`, "更正：增开三个窗口。")
		number := strings.TrimPrefix(r.location(), "/admin/reports/")
		old := rev.get(t, "/admin/reports/2026-001")
		wantContains(t, old.Body, "这份报告已被 "+number+" 更正")
		if got := article(t, old.Body); got != issuedArticle {
			t.Errorf("the corrected report's own text changed")
		}
		wantContains(t, rev.get(t, "/admin/reports").Body, "更正 2026-001", "已被 "+number+" 更正")
	})
}
