package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// staffAs creates a staff member with role (and unit, for a liaison) and logs them in.
func (h *harness) staffAs(t *testing.T, role string) *browser {
	t.Helper()
	n := storage.NewUser{Username: "测评-" + role, Password: staffPassword, Role: role}
	if role == access.Liaison {
		n.Unit = "county-hospital"
	}
	if role == access.Leader {
		n.Linked = []string{"county-hospital"}
	}
	if _, err := h.store.CreateScopedUser(context.Background(), 0, n); err != nil {
		t.Fatalf("CreateScopedUser(%s): %v", role, err)
	}
	b := h.login(t, n.Username, staffPassword)
	b.getCSRF(t, "/admin/queue")
	return b
}

// validSurveyForm is what an administrator could post.
func validSurveyForm() url.Values {
	return url.Values{"title": {"第二季度门诊测评"}, "starts_on": {"2026-04-15"}, "ends_on": {"2026-06-30"},
		"units": {"county-hospital", "qingshan-thc"}, "items": {"挂号等候时间\r\n\r\n  医生解释病情  \r\n"},
		"scale": {"five"}, "free_text": {"还有什么建议？"}, "item_threshold": {"80"}, "overall_threshold": {"88"}}
}

func TestSurveyRoutesByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	results := "/admin/surveys/" + strconv.FormatInt(sv.ID, 10)
	tests := []struct {
		role                 string
		list, build, results int
	}{
		{access.Admin, 200, 303, 200},
		{access.Reviewer, 200, 403, 200},
		{access.Supervisor, 200, 403, 200},
		{access.Liaison, 403, 403, 403},
		{access.Leader, 403, 403, 403},
	}
	for _, tc := range tests {
		t.Run(tc.role, func(t *testing.T) {
			b := h.staffAs(t, tc.role)
			r := b.get(t, "/admin/surveys")
			wantStatus(t, r, tc.list)
			if tc.list == 200 && (tc.build == 303) != strings.Contains(r.Body, `action="/admin/surveys"`) {
				t.Errorf("the build form is shown = %v, want %v", !(tc.build == 303), tc.build == 303)
			}
			wantStatus(t, b.post(t, "/admin/surveys", validSurveyForm()), tc.build)
			wantStatus(t, b.get(t, results), tc.results)
		})
	}
	surveys, err := h.store.Surveys(context.Background())
	if err != nil || len(surveys) != 2 {
		t.Fatalf("surveys = %d, %v; want 2 (the fixture and the administrator's)", len(surveys), err)
	}
}

func TestCreateSurvey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staffAs(t, access.Admin)
	tests := []struct {
		name, field, value, want string
	}{
		{"no title", "title", "", "请填写标题"},
		{"ends before it starts", "ends_on", "2026-04-01", "结束日期不能早于开始日期"},
		{"no date", "starts_on", "", "请选择开始日期"},
		{"no items", "items", " \r\n ", "请至少写一个题目"},
		{"threshold over 100", "overall_threshold", "120", "0 到 100 之间的整数"},
		{"unknown unit", "units", "nowhere", "请从列表中选择单位"},
		{"unknown scale", "scale", "ten", "请选择评价方式"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := validSurveyForm()
			v.Set(tc.field, tc.value)
			r := admin.post(t, "/admin/surveys", v)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tc.want, `value="还有什么建议？"`)
			if tc.field != "items" {
				if got, _ := textarea(r.Body, "items"); got != v.Get("items") {
					t.Errorf("items textarea = %q, want what was typed", got)
				}
			}
		})
	}
	r := admin.post(t, "/admin/surveys", validSurveyForm())
	wantStatus(t, r, http.StatusSeeOther)
	surveys, err := h.store.Surveys(context.Background())
	if err != nil || len(surveys) != 1 {
		t.Fatalf("surveys = %v, %v", surveys, err)
	}
	sv, err := h.store.Survey(context.Background(), surveys[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sv.Items) != 2 || sv.Items[1].Text != "医生解释病情" || sv.Scale != storage.ScaleFive || len(sv.Units) != 2 ||
		sv.ItemThreshold != 80 || sv.OverallThreshold != 88 || sv.FreeText != "还有什么建议？" {
		t.Errorf("stored survey = %+v", sv)
	}
	list := admin.get(t, "/admin/surveys")
	wantContains(t, list.Body, "/survey/"+strconv.FormatInt(sv.ID, 10)+"?unit=qingshan-thc", "进行中")
}

// TestSurveyResultsPage reads the results of 12 county answers (item 1: 75.0 %, item 2: 91.7 %)
// and 4 TCM answers as a reviewer.
func TestSurveyResultsPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	answer := func(unit, dept, comment string, first, second int) {
		t.Helper()
		err := h.store.AnswerSurvey(context.Background(), storage.SurveyAnswer{SurveyID: sv.ID, UnitCode: unit, Dept: dept,
			Comment: comment, Values: map[int64]int{sv.Items[0].ID: first, sv.Items[1].ID: second}})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, first := range []int{3, 3, 3, 3, 3, 3, 2, 2, 2, 1, 1, 1} {
		second := 3
		if i == 11 {
			second = 1
		}
		answer("county-hospital", "内科", "", first, second)
	}
	for range 4 {
		answer("tcm-hospital", "", "药房窗口太少", 3, 3)
	}
	b, _ := h.staff(t)
	r := b.get(t, "/admin/surveys/"+strconv.FormatInt(sv.ID, 10))
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `<span class="overdue">75.0%</span>`, "91.7%", "&lt;5", `<ul id="redo"><li><span class="overdue">县人民医院</span>`,
		"县人民医院 · 内科", "县中医院 · （未注明科室）", "<strong>县中医院</strong>：<span class=\"pre\">药房窗口太少</span>",
		"每题不低于 85%，总体不低于 90%")
	wantNotContains(t, r.Body, "4、5 分算满意")
	wantStatus(t, b.get(t, "/admin/surveys/999"), http.StatusNotFound)
	wantStatus(t, b.get(t, "/admin/surveys/x"), http.StatusNotFound)
}

// TestSurveyOverallUnderFive: a unit with fewer than five responses shows "<5" for its overall
// rate too, not a rate computed from its responses × items answers; so does a department.
func TestSurveyOverallUnderFive(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	for range 4 { // 4 responses × 2 items = 8 answers: still 4 people
		err := h.store.AnswerSurvey(context.Background(), storage.SurveyAnswer{SurveyID: sv.ID, UnitCode: "tcm-hospital",
			Dept: "药房", Values: map[int64]int{sv.Items[0].ID: 3, sv.Items[1].ID: 3}})
		if err != nil {
			t.Fatal(err)
		}
	}
	b, _ := h.staff(t)
	r := b.get(t, "/admin/surveys/"+strconv.FormatInt(sv.ID, 10))
	wantStatus(t, r, http.StatusOK)
	for _, table := range []string{`id="all"`, `id="units"`, `id="depts"`} {
		start := strings.Index(r.Body, table)
		if start < 0 {
			t.Fatalf("no table %s", table)
		}
		body := r.Body[start:]
		body = body[:strings.Index(body, "</table>")]
		if strings.Contains(body, "100.0%") {
			t.Errorf("table %s shows a rate for four responses:\n%s", table, body)
		}
		if n := strings.Count(body, "&lt;5"); n != 3 { // two items and the overall
			t.Errorf("table %s shows %d × <5, want 3:\n%s", table, n, body)
		}
	}
}
