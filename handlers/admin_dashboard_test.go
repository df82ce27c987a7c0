package handlers_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/internal/testkit"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
)

// dashboardWorld stores this month's opinions about county-hospital: six complaints of 官僚主义
// in 内科 (a hot spot after three quiet months), two praises of 外科, a suggestion of 儿科 handed
// to the hospital, and a 举报 of 官僚主义 in 内科; and one complaint about tcm-hospital.
func dashboardWorld(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	styled := func(n storage.NewOpinion, styles ...string) {
		id, _ := h.seed(t, n)
		if len(styles) > 0 {
			if err := h.store.SetStyles(ctx, 0, id, styles); err != nil {
				t.Fatalf("SetStyles: %v", err)
			}
		}
	}
	for i := 0; i < 6; i++ {
		styled(storage.NewOpinion{Type: "complaint", Dept: "内科"}, "bureaucratism")
	}
	styled(storage.NewOpinion{Type: "praise", Dept: "外科"})
	styled(storage.NewOpinion{Type: "praise", Dept: "外科"})
	styled(storage.NewOpinion{Type: "report", Dept: "内科"}, "bureaucratism")
	styled(storage.NewOpinion{Type: "complaint", UnitCode: "tcm-hospital", Dept: "骨科"})
	handed, _ := h.seed(t, storage.NewOpinion{Type: "suggestion", Dept: "儿科"})
	for _, to := range lifecycle.PathTo(lifecycle.Assigned) {
		if err := h.store.Transition(ctx, 0, handed, lifecycle.Step{To: to, LeadUnit: "county-hospital", Responsible: "儿科主任",
			Measures: "增加候诊座椅", Ledger: "problem", Deadline: "2026-05-29"}); err != nil {
			t.Fatalf("hand out: step %s: %v", to, err)
		}
	}
}

// received is the summary's line of opinions received, as the page writes it in zh-CN.
func received(n string) string {
	return `<th scope="row">收到意见（条）</th><td>` + n + `</td>`
}

// TestDashboardByRole: who may open which unit's dashboard, and what each one counts there. A
// liaison never sees another unit, a leader only the linked units; 举报 count for 纪检 alone, and
// 纪检 is shown no 科室 ranking.
func TestDashboardByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dashboardWorld(t, h)
	type visit struct {
		target   string
		status   int
		location string   // for a 303
		wants    []string // in the body
		nots     []string
	}
	tests := []struct {
		role   string
		visits []visit
	}{
		{access.Reviewer, []visit{
			{"/admin/dashboard", 200, "", []string{`href="/admin/dashboard/county-hospital"`, `href="/admin/dashboard/tcm-hospital"`}, nil},
			{"/admin/dashboard/county-hospital", 200, "", []string{received("9"), `id="dashboard-ranking"`,
				`<td>1</td><td>外科</td>`, `<td>2</td><td>内科</td>`,
				`<td>内科</td><td>“四风”：官僚主义</td><td>6</td><td>0、0、0</td><td>0.0</td>`,
				`<td>县人民医院</td><td>“四风”：官僚主义</td><td>6</td>`,
				"超过前 3 个月平均数加 2 倍标准差，并且至少 5 条", `role="img"`}, nil},
			{"/admin/dashboard/tcm-hospital", 200, "", []string{received("1")}, nil},
			{"/admin/dashboard/no-such-unit", 404, "", nil, nil},
		}},
		{access.Liaison, []visit{
			{"/admin/dashboard", 303, "/admin/dashboard/county-hospital", nil, nil},
			{"/admin/dashboard/county-hospital", 200, "", []string{received("1"), "科室排名", "本月还没有科室收到表扬、投诉或评价。", "本月没有预警。"}, []string{"外科"}},
			{"/admin/dashboard/tcm-hospital", 404, "", nil, nil},
		}},
		{access.Leader, []visit{
			{"/admin/dashboard", 303, "/admin/dashboard/county-hospital", nil, nil},
			{"/admin/dashboard/county-hospital", 200, "", []string{received("9"), `id="dashboard-ranking"`}, nil},
			{"/admin/dashboard/tcm-hospital", 404, "", nil, nil},
		}},
		{access.Discipline, []visit{
			{"/admin/dashboard/county-hospital", 200, "", []string{received("1"), "本月没有预警。"}, []string{"dashboard-ranking", "科室排名"}},
			{"/admin/dashboard/tcm-hospital", 200, "", []string{received("0")}, nil},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			b := h.staffAs(t, tt.role)
			for _, v := range tt.visits {
				r := b.get(t, v.target)
				if r.Code != v.status {
					t.Fatalf("GET %s: status %d, want %d\n%s", v.target, r.Code, v.status, r.Body)
				}
				if v.location != "" && r.location() != v.location {
					t.Errorf("GET %s: to %q, want %q", v.target, r.location(), v.location)
				}
				wantContains(t, r.Body, v.wants...)
				wantNotContains(t, r.Body, v.nots...)
			}
		})
	}
}

// TestDashboardMonths: the month is chosen by ?month=, never in the future; an earlier month
// counts its own warnings and ranking, and its trend ends with it. ?dept= narrows the dashboard
// to one 科室, whose warnings are its own and which ranks nothing.
func TestDashboardMonthsAndDepts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dashboardWorld(t, h)
	b := h.staffAs(t, access.Reviewer)
	tests := []struct {
		name, query string
		wants, nots []string
	}{
		{"this month", "", []string{"<span class=\"current\" aria-current=\"page\">2026年4月</span>", `?month=2026-03" rel="prev"`},
			[]string{`rel="next"`}},
		{"the future is this month", "?month=2027-01", []string{"2026年4月", received("9")}, []string{"2027年1月"}},
		{"not a month is this month", "?month=2026-Q1", []string{"2026年4月"}, nil},
		{"one 科室", "?dept=%E5%86%85%E7%A7%91", []string{"<h1>单位看板：县人民医院 · 内科</h1>", received("6"),
			`<td>内科</td><td>“四风”：官僚主义</td><td>6</td>`, `href="/admin/dashboard/county-hospital?month=2026-04">全单位</a>`,
			`?month=2026-03&amp;dept=%e5%86%85%e7%a7%91" rel="prev"`},
			[]string{`<td>县人民医院</td><td>“四风”：官僚主义</td>`, "科室排名", "外科"}},
		{"the whole unit links each 科室", "", []string{`<a href="/admin/dashboard/county-hospital?month=2026-04&amp;dept=%e5%86%85%e7%a7%91">内科</a>`}, nil},
		{"last month", "?month=2026-03", []string{"2025年4月至2026年3月", `?month=2026-04" rel="next"`, "本月没有预警。",
			"本月还没有科室收到表扬、投诉或评价。", received("0")}, []string{`id="dashboard-warnings"`}},
	}
	if r := b.get(t, "/admin/dashboard/county-hospital?dept="+strings.Repeat("科", 51)); r.Code != http.StatusNotFound {
		t.Errorf("a 科室 of 51 characters: status %d, want 404", r.Code)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.get(t, "/admin/dashboard/county-hospital"+tt.query)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.wants...)
			wantNotContains(t, r.Body, tt.nots...)
		})
	}
}

// TestDashboardPagesRenderInEachLanguage renders the dashboards in every language, as
// TestEveryPageRendersInEachLanguage does the other pages: the layout's words, no template
// error, the navigation's link, and no zh-CN phrase left in another language.
func TestDashboardPagesRenderInEachLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dashboardWorld(t, h)
	data := storedText(t, h, "内科", "外科", "儿科", "骨科")
	for _, lang := range []string{locale.Default, locale.En, locale.ZhHant} {
		t.Run(lang, func(t *testing.T) {
			p := locale.Get(lang)
			leftovers, err := testkit.LeftoverPhrases(lang)
			if err != nil {
				t.Fatal(err)
			}
			browsers := pageBrowsers(t, h, lang)
			for _, target := range []string{"/admin/dashboard", "/admin/dashboard/county-hospital", "/admin/dashboard/county-hospital?month=2026-01"} {
				r := browsers["reviewer"].get(t, target)
				wantStatus(t, r, http.StatusOK)
				page := html.UnescapeString(r.Body)
				wantContains(t, page, `<html lang="`+lang+`" dir="ltr">`, p.T("layout.brand"), `<a href="/admin/dashboard">`+p.T("dashboard.nav")+`</a>`, "</html>")
				wantNotContains(t, r.Body, "templates:", "<no value>", "ZgotmplZ")
				if lang == locale.Default {
					continue
				}
				if found := testkit.FindLeftovers(leftovers, withoutData(page, data)); len(found) > 0 {
					t.Errorf("GET %s in %s still shows zh-CN text: %q", target, lang, found)
				}
			}
		})
	}
	if logs := h.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors were logged while rendering dashboards:\n%s", logs)
	}
}
