package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// auditCount is how many entries of action username has in the log.
func auditCount(t *testing.T, h *harness, username, action string) int {
	t.Helper()
	rows, err := h.store.RecentAudit(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range rows {
		if e.Username == username && e.Action == action {
			n++
		}
	}
	return n
}

// isDownload reports whether a GET route hands over a file of the portal's data: an export, a
// report's document. Posters and QR codes are the portal's own pictures, not data.
func isDownload(path string) bool {
	return strings.HasSuffix(path, "/export") || strings.HasSuffix(path, ".docx") || strings.HasSuffix(path, ".xlsx") ||
		strings.HasSuffix(path, ".csv") || path == "/admin/reports/:file"
}

// TestEveryExportIsAudited: every route that hands over the portal's data as a file, and the
// opening of a 举报 or of an evaluation's results, writes one audit entry for the person; a
// refused request writes none. A new download route missing from the table fails the test.
func TestEveryExportIsAudited(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	report, _ := h.seed(t, storage.NewOpinion{Type: access.ReportType})
	h.walkTo(t, 0, report, lifecycle.Assigned) // so that its 交办单 can be printed
	h.seed(t, storage.NewOpinion{Type: "complaint"})
	eval, err := h.store.CreateEvaluation(ctx, 0, storage.NewEvaluation{Title: "局领导班子民主评议", Meeting: "动员大会",
		UnitCode: "county-hospital", OpensOn: "2026-04-15", ClosesOn: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	issued := issueReport(t, h, reportMonth)
	ev := strconv.FormatInt(eval, 10)
	browsers := map[string]*browser{}
	as := func(role string) *browser {
		if browsers[role] == nil {
			browsers[role] = h.staffAs(t, role)
		}
		return browsers[role]
	}
	cases := []struct {
		name   string
		route  string // the route's path as routes.go writes it ("" for a page)
		role   string
		target string
		action string
		code   int
	}{
		{"monthly export, CSV", "/admin/export", access.Reviewer, "/admin/export?month=2026-04&format=csv", "export", 200},
		{"monthly export, XLSX", "/admin/export", access.Reviewer, "/admin/export?month=2026-04&format=xlsx", "export", 200},
		{"ledgers", "/admin/ledgers/export", access.Reviewer, "/admin/ledgers/export", "export", 200},
		{"evaluation results", "/admin/evaluations/:id/export", access.Supervisor, "/admin/evaluations/" + ev + "/export", "export", 200},
		{"evaluation results refused to an administrator", "", access.Admin, "/admin/evaluations/" + ev + "/export", "export", 403},
		{"audit log, CSV", "/admin/audit/export", access.Admin, "/admin/audit/export?format=csv", "export", 200},
		{"audit log, XLSX", "/admin/audit/export", access.Discipline, "/admin/audit/export?format=xlsx", "export", 200},
		{"report draft, DOCX", "/admin/reports/draft.docx", access.Reviewer, "/admin/reports/draft.docx?period=" + reportMonth + "&kind=summary", "export", 200},
		{"report draft, XLSX", "/admin/reports/draft.xlsx", access.Reviewer, "/admin/reports/draft.xlsx?period=" + reportMonth + "&kind=summary", "export", 200},
		{"issued report, DOCX", "/admin/reports/:file", access.Reviewer, "/admin/reports/" + issued.Number + ".docx", "export", 200},
		{"issued report, XLSX", "/admin/reports/:file", access.Reviewer, "/admin/reports/" + issued.Number + ".xlsx", "export", 200},
		{"the task list, XLSX", "/admin/tasklist.xlsx", access.Reviewer, "/admin/tasklist.xlsx", "export", 200},
		{"opening a 举报", "", access.Discipline, "/admin/opinions/" + report, storage.ActionOpenReport, 200},
		{"the 交办单 of a 举报", "", access.Discipline, "/admin/opinions/" + report + "/sheet", storage.ActionOpenReport, 200},
		{"a 举报 refused to a reviewer", "", access.Reviewer, "/admin/opinions/" + report, storage.ActionOpenReport, 404},
		{"an evaluation's results", "", access.Supervisor, "/admin/evaluations/" + ev, storage.ActionOpenEvaluation, 200},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.route] = true
		t.Run(c.name, func(t *testing.T) {
			b := as(c.role)
			user := "测评-" + c.role
			before := auditCount(t, h, user, c.action)
			r := b.get(t, c.target)
			wantStatus(t, r, c.code)
			want := before
			if c.code == http.StatusOK {
				want++
			}
			if got := auditCount(t, h, user, c.action); got != want {
				t.Errorf("%s: %d %s entries for %s, want %d", c.target, got, c.action, user, want)
			}
		})
	}
	for _, r := range h.e.Routes() {
		if r.Method == http.MethodGet && isDownload(r.Path) && !covered[r.Path] {
			t.Errorf("the download route %s is not in the table: is it audited?", r.Path)
		}
	}
}
