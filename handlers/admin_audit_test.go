package handlers_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// auditRows are the rows of the audit log table on a page, each as its cells' text joined by |.
func auditRows(t *testing.T, body string) []string {
	t.Helper()
	table := regexp.MustCompile(`(?s)<table class="queue" id="audit-log">.*?</table>`).FindString(body)
	var out []string
	for _, tr := range regexp.MustCompile(`(?s)<tr>\s*<td.*?</tr>`).FindAllString(table, -1) {
		var cells []string
		for _, td := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(tr, -1) {
			cells = append(cells, strings.TrimSpace(shownText(td[1])))
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func TestAuditPageByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		role   string
		status int
	}{
		{access.Admin, 200},
		{access.Discipline, 200},
		{access.Reviewer, 403},
		{access.Supervisor, 403},
		{access.Liaison, 403},
		{access.Leader, 403},
	}
	for _, tc := range tests {
		t.Run(tc.role, func(t *testing.T) {
			b := h.staffAs(t, tc.role)
			wantStatus(t, b.get(t, "/admin/audit"), tc.status)
			wantStatus(t, b.get(t, "/admin/audit/export?format=csv"), tc.status)
			queue := b.get(t, "/admin/queue")
			if got := strings.Contains(queue.Body, `href="/admin/audit"`); got != (tc.status == 200) {
				t.Errorf("the staff menu links the audit log: %v, want %v", got, tc.status == 200)
			}
		})
	}
	wantStatus(t, h.browser().get(t, "/admin/audit"), http.StatusSeeOther) // no session: to the login
}

// Ensure 纪检 alone reads the entries about 举报 and discipline-mailbox letters, and that
// opening one of them (its page, its 交办单) is recorded; the administrator reads the rest.
func TestAuditPageSeparatesDisciplineEntries(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin, discipline := h.staffAs(t, access.Admin), h.staffAs(t, access.Discipline)
	plain := h.opinionIn(t, "complaint", lifecycle.Received)
	report := h.opinionIn(t, "report", lifecycle.Assigned)
	letter, _ := h.seed(t, storage.NewOpinion{MailboxCode: "discipline"})

	wantStatus(t, discipline.get(t, "/admin/opinions/"+report), 200)
	wantStatus(t, discipline.get(t, "/admin/opinions/"+report+"/sheet"), 200)
	wantStatus(t, discipline.get(t, "/admin/opinions/"+letter), 200)
	wantStatus(t, admin.get(t, "/admin/opinions/"+plain), 200)  // an ordinary opinion: opened without a trace
	wantStatus(t, admin.get(t, "/admin/opinions/"+report), 404) // not theirs: no page, no entry

	d := discipline.get(t, "/admin/audit")
	wantStatus(t, d, 200)
	rows := strings.Join(auditRows(t, d.Body), "\n")
	for _, want := range []string{
		"测评-discipline|查阅举报|" + report + "|打开了交办单",
		"测评-discipline|查阅举报|" + report + "|打开了意见页面",
		"测评-discipline|查阅举报|" + letter + "|打开了意见页面",
		"系统|更改状态|" + report,
	} {
		if !strings.Contains(rows, want) {
			t.Errorf("discipline's log lacks %q:\n%s", want, rows)
		}
	}
	if strings.Contains(rows, plain) || strings.Contains(rows, "登录") {
		t.Errorf("discipline's log shows entries that are not about 举报:\n%s", rows)
	}

	a := admin.get(t, "/admin/audit")
	wantStatus(t, a, 200)
	arows := strings.Join(auditRows(t, a.Body), "\n")
	if !strings.Contains(arows, "测评-admin|登录") {
		t.Errorf("the administrator's log lacks their login:\n%s", arows)
	}
	for _, hidden := range []string{report, letter, "查阅举报"} {
		if strings.Contains(a.Body, hidden) {
			t.Errorf("the administrator's page shows %q", hidden)
		}
	}
	if r := admin.get(t, "/admin/audit?item="+report); len(auditRows(t, r.Body)) != 0 {
		t.Errorf("the administrator finds a 举报's entries by its number: %q", auditRows(t, r.Body))
	}
}

func TestAuditPageFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	admin := h.staffAs(t, access.Admin)
	other := h.newStaff(t, "审核员乙")
	day := func(d string) { // noon, China time
		tm, _ := time.ParseInLocation("2006-01-02", d, time.FixedZone("CST", 8*3600))
		h.clock.Set(tm.Add(12 * time.Hour))
	}
	day("2026-04-10")
	a := h.opinionIn(t, "complaint", lifecycle.Received)
	if err := h.store.AddNote(ctx, other.ID, a, "十日的备注"); err != nil {
		t.Fatal(err)
	}
	day("2026-04-12")
	b := h.opinionIn(t, "suggestion", lifecycle.Received)
	if err := h.store.AddNote(ctx, other.ID, b, "十二日的备注"); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(baseTime)
	tests := []struct {
		name, query string
		want        []string // rows, newest first, as "person|action|item"
	}{
		{"person", "person=" + strconv.FormatInt(other.ID, 10) + "&action=note", []string{"审核员乙|添加备注|" + b, "审核员乙|添加备注|" + a}},
		{"action", "action=note", []string{"审核员乙|添加备注|" + b, "审核员乙|添加备注|" + a}},
		{"item", "item=" + a, []string{"审核员乙|添加备注|" + a}},
		{"from", "action=note&from=2026-04-11", []string{"审核员乙|添加备注|" + b}},
		{"to", "action=note&to=2026-04-11", []string{"审核员乙|添加备注|" + a}},
		{"one day", "person=" + strconv.FormatInt(other.ID, 10) + "&from=2026-04-12&to=2026-04-12", []string{"审核员乙|添加备注|" + b}},
		{"nothing", "action=note&from=2026-04-13&to=2026-04-14", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.get(t, "/admin/audit?"+tc.query)
			wantStatus(t, r, 200)
			var got []string
			for _, row := range auditRows(t, r.Body) {
				cells := strings.Split(row, "|")
				got = append(got, strings.Join(cells[1:4], "|"))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if tc.want == nil {
				wantContains(t, r.Body, "没有符合条件的记录。")
			}
		})
	}
	refusals := []struct{ name, query, field, message string }{
		{"unknown person", "person=999999", "person", "没有这个人员"},
		{"unknown action", "action=drop_table", "action", "没有这种操作"},
		{"bad item", "item=%3Cscript%3E", "item", "意见编号只含字母和数字"},
		{"bad day", "from=2026-13-01", "from", "请按 2026-04-01 的格式填写日期。"},
		{"backwards period", "from=2026-04-12&to=2026-04-10", "to", "结束日期不能早于开始日期。"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.get(t, "/admin/audit?"+tc.query)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tc.message)
			wantNotContains(t, r.Body, `id="audit-log"`, `id="audit-export"`)
			wantStatus(t, admin.get(t, "/admin/audit/export?format=csv&"+tc.query), http.StatusBadRequest)
		})
	}
	// The typed words are kept.
	r := admin.get(t, "/admin/audit?item=ab-c&from=2026-04-12")
	wantContains(t, r.Body, `name="item" maxlength="32" value="ab-c"`, `name="from" value="2026-04-12"`)
}

func TestAuditPagePages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	admin := h.staffAs(t, access.Admin)
	u := h.newStaff(t, "审核员丙")
	const n = storage.AuditPageSize + 12
	for i := 0; i < n; i++ {
		if err := h.store.Record(ctx, u.ID, "filter_save", "第"+strconv.Itoa(i)+"条"); err != nil {
			t.Fatal(err)
		}
	}
	first := admin.get(t, "/admin/audit?action=filter_save")
	rows := auditRows(t, first.Body)
	if len(rows) != storage.AuditPageSize || !strings.HasSuffix(rows[0], "|第"+strconv.Itoa(n-1)+"条") {
		t.Fatalf("first page: %d rows, first %q; want %d, newest first", len(rows), rows[0], storage.AuditPageSize)
	}
	next := regexp.MustCompile(`href="([^"]+)" class="button secondary" id="next-page"`).FindStringSubmatch(first.Body)
	if next == nil {
		t.Fatal("no link to the older entries")
	}
	second := admin.get(t, strings.ReplaceAll(next[1], "&amp;", "&"))
	wantStatus(t, second, 200)
	rows2 := auditRows(t, second.Body)
	if len(rows2) != n-storage.AuditPageSize || !strings.HasSuffix(rows2[len(rows2)-1], "|第0条") {
		t.Fatalf("second page: %d rows, want %d ending with the oldest", len(rows2), n-storage.AuditPageSize)
	}
	seen := map[string]bool{}
	for _, r := range append(rows, rows2...) {
		if seen[r] {
			t.Errorf("%q on both pages", r)
		}
		seen[r] = true
	}
	wantNotContains(t, second.Body, `id="next-page"`)
	wantContains(t, second.Body, `href="/admin/audit?action=filter_save" class="small" id="first-page"`)
}

func TestAuditExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin, discipline := h.staffAs(t, access.Admin), h.staffAs(t, access.Discipline)
	plain := h.opinionIn(t, "complaint", lifecycle.Triaged)
	report := h.opinionIn(t, "report", lifecycle.Triaged)
	wantStatus(t, discipline.get(t, "/admin/opinions/"+report), 200)
	// A username a spreadsheet would take for a formula.
	if _, err := h.store.CreateUser(context.Background(), 0, "=HYPERLINK(1)", staffPassword, storage.RoleReviewer); err != nil {
		t.Fatal(err)
	}

	read := func(t *testing.T, b *browser, query string) [][]string {
		t.Helper()
		r := b.get(t, "/admin/audit/export?"+query)
		wantStatus(t, r, 200)
		if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="minsheng-audit-2026-04-15.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !strings.HasPrefix(r.Body, "\xEF\xBB\xBF") {
			t.Error("no UTF-8 BOM")
		}
		lines, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\xEF\xBB\xBF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(lines[0], ",") != "时间,人员,操作,意见,说明" {
			t.Errorf("header %q", lines[0])
		}
		return lines[1:]
	}
	t.Run("administrator", func(t *testing.T) {
		lines := read(t, admin, "format=csv")
		body := ""
		for _, l := range lines {
			body += strings.Join(l, "|") + "\n"
		}
		if strings.Contains(body, report) || strings.Contains(body, "查阅举报") {
			t.Errorf("the administrator's export holds 纪检's entries:\n%s", body)
		}
		for _, want := range []string{"|系统|更改状态|" + plain + "|", "|测评-admin|登录||", "'=HYPERLINK(1) (reviewer)"} {
			if !strings.Contains(body, want) {
				t.Errorf("export lacks %q:\n%s", want, body)
			}
		}
		if !regexp.MustCompile(`^2026-04-15 10:00:00$`).MatchString(lines[0][0]) {
			t.Errorf("time %q, want China time to the second", lines[0][0])
		}
	})
	t.Run("discipline", func(t *testing.T) {
		lines := read(t, discipline, "format=csv&item="+report)
		if len(lines) != 2 || lines[0][2] != "查阅举报" || lines[0][3] != report || lines[1][2] != "更改状态" {
			t.Errorf("discipline's export of the 举报: %q", lines)
		}
	})
	// Each export is an entry of the log, written before the file; 纪检's keeps no 举报 number.
	rows, _, err := h.store.AuditPage(context.Background(), storage.AuditFilter{Action: "export"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Username+" "+r.Detail)
	}
	want := []string{"测评-discipline csv audit ", "测评-admin csv audit "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("export entries %q, want %q", got, want)
	}
	wantStatus(t, admin.get(t, "/admin/audit/export?format=pdf"), http.StatusBadRequest)

	t.Run("xlsx", func(t *testing.T) {
		r := admin.get(t, "/admin/audit/export?format=xlsx")
		wantStatus(t, r, 200)
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="minsheng-audit-2026-04-15.xlsx"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		if strings.Contains(r.Body, "<f>") {
			t.Error("a formula in the workbook")
		}
		f, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); len(got) != 1 || got[0] != "操作日志" {
			t.Fatalf("sheets %q", got)
		}
		rows, err := f.GetRows("操作日志")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "时间,人员,操作,意见,说明" {
			t.Errorf("header %q", rows[0])
		}
		all := ""
		for _, row := range rows[1:] {
			all += strings.Join(row, "|") + "\n"
		}
		// Newest first: the export itself, written before the file.
		if !strings.HasPrefix(all, "2026-04-15 10:00:00|测评-admin|导出||xlsx audit") {
			t.Errorf("first line %q", strings.SplitN(all, "\n", 2)[0])
		}
		for _, want := range []string{"|系统|更改状态|" + plain + "|", "'=HYPERLINK(1) (reviewer)"} {
			if !strings.Contains(all, want) {
				t.Errorf("the workbook lacks %q:\n%s", want, all)
			}
		}
		if strings.Contains(all, report) {
			t.Errorf("the administrator's workbook holds 纪检's entries:\n%s", all)
		}
	})
}

// Ensure opening the results of a 民主评议表 is recorded, by the supervision group who may.
func TestEvaluationSummaryOpeningIsAudited(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id, err := h.store.CreateEvaluation(ctx, 0, storage.NewEvaluation{Title: "局领导班子民主评议", Meeting: "动员大会",
		UnitCode: "county-hospital", OpensOn: "2026-04-15", ClosesOn: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	sup, admin := h.staffAs(t, access.Supervisor), h.staffAs(t, access.Admin)
	summary := "/admin/evaluations/" + strconv.FormatInt(id, 10)
	wantStatus(t, sup.get(t, summary), 200)
	wantStatus(t, admin.get(t, summary), 403) // refused: no entry
	r := admin.get(t, "/admin/audit?action=open_evaluation")
	rows := auditRows(t, r.Body)
	if len(rows) != 1 || !strings.HasSuffix(rows[0], "|测评-supervisor|查阅评议结果||民主评议表 "+strconv.FormatInt(id, 10)+" 的结果") {
		t.Errorf("entries of the opening: %q", rows)
	}
}
