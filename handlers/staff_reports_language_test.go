package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/export"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
)

// staffIn creates a staff member of role who reads the staff pages in lang ("" for the
// default), set in their profile before they log in, and logs them in.
func (h *harness) staffIn(t *testing.T, name, role, lang string) (*browser, storage.User) {
	t.Helper()
	ctx := context.Background()
	u, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: name, Password: staffPassword, Role: role})
	if err != nil {
		t.Fatalf("CreateScopedUser(%s): %v", name, err)
	}
	if err := h.store.SetLanguage(ctx, u.ID, lang); err != nil {
		t.Fatal(err)
	}
	b := h.login(t, name, staffPassword)
	b.getCSRF(t, "/admin/queue")
	return b, u
}

// workbook reads a downloaded XLSX back.
func workbook(t *testing.T, r *response) *excelize.File {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// reportsWorld is one portal with overdue rectification, five ratings of one unit and an
// evaluation, and staff who read in English, Simplified and Traditional Chinese.
type reportsWorld struct {
	h                     *harness
	en, zh, hant          *browser // reviewers
	adminEn, supervisorEn *browser
	evaluation            string // the path of the evaluation's summary
	survey                string // the path of a survey's results
}

func newReportsWorld(t *testing.T) *reportsWorld {
	t.Helper()
	h := newHarness(t) // today: 2026-04-15
	ctx := context.Background()
	w := &reportsWorld{h: h}
	var office storage.User
	w.en, office = h.staffIn(t, "reviewer-en", access.Reviewer, locale.En)
	w.zh, _ = h.staffIn(t, "reviewer-zh", access.Reviewer, "")
	w.hant, _ = h.staffIn(t, "reviewer-hant", access.Reviewer, locale.ZhHant)
	w.adminEn, _ = h.staffIn(t, "admin-en", access.Admin, locale.En)
	w.supervisorEn, _ = h.staffIn(t, "supervisor-en", access.Supervisor, locale.En)

	late, _ := h.seed(t, storage.NewOpinion{Content: "发热门诊排班表一直没有公开。"})
	h.walkTo(t, office.ID, late, lifecycle.Triaged)
	step := fullStep(lifecycle.Assigned, "")
	step.Ledger, step.Deadline = "problem", "2030-01-01"
	if err := h.store.Transition(ctx, office.ID, late, step); err != nil {
		t.Fatal(err)
	}
	h.setDeadline(t, late, "2026-04-01")
	for i, rating := range []string{"satisfied", "dissatisfied", "dissatisfied", "basically", "dissatisfied"} {
		id, _ := h.seed(t, storage.NewOpinion{UnitCode: "tcm-hospital", Content: "中医院的意见，第几条不重要。" + string(rune('一'+i))})
		h.walkTo(t, office.ID, id, lifecycle.Satisfaction)
		if err := h.store.Rate(ctx, id, rating, ""); err != nil {
			t.Fatal(err)
		}
	}
	id, err := h.store.CreateEvaluation(ctx, 0, storage.NewEvaluation{Title: "领导班子作风民主评议", Meeting: "动员大会",
		UnitCode: "bureau", OpensOn: "2026-04-15", ClosesOn: "2026-04-20"})
	if err != nil {
		t.Fatal(err)
	}
	w.evaluation = "/admin/evaluations/" + strconv.FormatInt(id, 10)
	w.survey = "/admin/surveys/" + strconv.FormatInt(h.newSurvey(t, "2026-04-01", "2026-04-30").ID, 10)
	return w
}

// TestStaffReportPagesInTheReadersLanguage renders the report pages in the staff member's own
// language: English, and Traditional Chinese made from the Simplified.
func TestStaffReportPagesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	w := newReportsWorld(t)
	tests := []struct {
		name   string
		b      *browser
		path   string
		wants  []string
		absent []string
	}{
		{"ledgers in English", w.en, "/admin/ledgers?ledger=problem",
			[]string{`<html lang="en" dir="ltr">`, "<h1>Rectification ledgers (整改台账)</h1>", ">Specific problems (具体问题整改)</a>",
				"Export the three ledgers (Excel)", "9 working days overdue", "<th>Deadline</th>", "Assigned (已交办)"},
			[]string{"逾期", "导出三本台账", "牵头单位 · 责任人"}},
		{"overdue list in English", w.en, "/admin/overdue",
			[]string{"<h1>Follow-up (督办): rectification past its deadline</h1>", "<th>Followed up by</th>", "县卫生健康局机关"},
			[]string{"督办单位", "逾期未完成"}},
		{"satisfaction in English", w.en, "/admin/satisfaction",
			[]string{"<h1>Satisfaction of the people who wrote in, 2026</h1>", "<th>Mostly satisfied</th>", "40.0%",
				`<span class="overdue">Must make up (需补课)</span>`, "The target is 90%; a unit below 85%",
				"Reports of misconduct (举报) are not included"},
			[]string{"评价数", "满意率", "不含举报"}},
		{"surveys in English", w.adminEn, "/admin/surveys",
			[]string{"<h1>Satisfaction surveys (满意度测评)</h1>", "<summary>2 units</summary>", "Open</td>", `placeholder="Waiting time at registration&#10;`,
				"1–5 points (4 and 5 count as satisfied, 3 as mostly satisfied)", "Create the survey"},
			[]string{"个单位", "新建测评", "进行中"}},
		{"survey results in English", w.en, w.survey,
			[]string{"<title>Survey results", "2026-04-01 to 2026-04-30. Satisfaction rate = (satisfied &#43; mostly satisfied) ÷ answers.",
				"Standard: at least 85% for each question and 90% overall", `<p class="empty" id="redo">Every unit meets the marks.</p>`,
				"<h2>Open question: 您还有什么建议？</h2>", "<th>Scope</th>", "<td>All</td>"},
			[]string{"补课名单</h2>", "各题总体"}},
		{"evaluations in English", w.adminEn, "/admin/evaluations",
			[]string{"<h1>Democratic evaluation forms (民主评议表)</h1>", "Evaluated: 县卫生健康局机关", "2026-04-15 to 2026-04-20",
				"0 printed, 0 used", "Generate and print", "At most 500 at a time."},
			[]string{"已打印", "生成并打印"}},
		{"evaluation summary in English", w.supervisorEn, w.evaluation,
			[]string{"Received <strong id=\"answers\">0</strong> forms.", "Fewer than 5 forms", "1. Overall rating",
				"<td>Good</td><td>0</td>", "Favourable (good + fairly good): <strong>—</strong> (0 forms)", "Export to Excel"},
			[]string{"收到评议表", "好评率"}},
		{"ledgers in Traditional Chinese", w.hant, "/admin/ledgers?ledger=problem",
			[]string{`<html lang="zh-Hant" dir="ltr">`, "<h1>整改臺賬</h1>", "逾期 9 個工作日", "導出三本臺賬（Excel）"},
			[]string{"整改台账", "个工作日"}},
		{"satisfaction in Traditional Chinese", w.hant, "/admin/satisfaction",
			[]string{"2026 年留言人滿意度", "需補課", "不含舉報"},
			[]string{"满意度", "需补课"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.get(t, tt.path)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.wants...)
			wantNotContains(t, r.Body, tt.absent...)
		})
	}
}

// TestStaffFilesInTheReadersLanguage downloads every file as an English reader and as one who
// chose no language: the English files have English sheet names, headers, labels, counts and
// dates; the Chinese ones are as they always were.
func TestStaffFilesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	w := newReportsWorld(t)
	enHeader := export.In(locale.Get(locale.En)).Header()

	t.Run("monthly XLSX", func(t *testing.T) {
		tests := []struct {
			name          string
			b             *browser
			sheets        []string
			header        []string
			notePrefix    string
			scope, status string
		}{
			{"English", w.en, []string{"Opinions", "Counts"}, enHeader, "Note: these counts cover the opinions on the “Opinions” sheet",
				"Reports of misconduct (举报) are not included", "Assigned (已交办)"},
			{"zh-CN", w.zh, []string{"意见", "统计"}, export.Columns, "说明：本表统计的是“意见”页中的各条意见",
				"不含举报：举报只由纪检监察查看", "已交办"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := workbook(t, tt.b.get(t, "/admin/export?month=2026-04&format=xlsx"))
				if got := f.GetSheetList(); !slices.Equal(got, tt.sheets) {
					t.Fatalf("sheets = %q, want %q", got, tt.sheets)
				}
				rows, _ := f.GetRows(tt.sheets[0])
				if !slices.Equal(rows[0], tt.header) {
					t.Errorf("header = %q, want %q", rows[0], tt.header)
				}
				status := slices.Index(export.ColumnKeys, "column.status")
				found := false
				for _, r := range rows[1:] {
					found = found || r[status] == tt.status
				}
				if !found {
					t.Errorf("no row in status %q: %q", tt.status, rows)
				}
				note, _ := f.GetCellValue(tt.sheets[1], "A1")
				if !strings.HasPrefix(note, tt.notePrefix) || !strings.Contains(note, tt.scope) {
					t.Errorf("counts note = %q, want it to begin %q and say %q", note, tt.notePrefix, tt.scope)
				}
			})
		}
	})

	t.Run("monthly CSV in English", func(t *testing.T) {
		r := w.en.get(t, "/admin/export?month=2026-04&format=csv")
		wantStatus(t, r, http.StatusOK)
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(records[0], enHeader) {
			t.Errorf("header = %q, want %q", records[0], enHeader)
		}
		if date := records[1][slices.Index(export.ColumnKeys, "column.date")]; date != "15 Apr 2026" {
			t.Errorf("date = %q, want 15 Apr 2026", date)
		}
	})

	t.Run("refused in English", func(t *testing.T) {
		r := w.en.get(t, "/admin/export?format=pdf")
		wantStatus(t, r, http.StatusBadRequest)
		wantContains(t, r.Body, "Cannot export", "Choose a month in the queue")
	})

	t.Run("ledgers", func(t *testing.T) {
		tests := []struct {
			name          string
			b             *browser
			sheet, raised string
			deadline      string
		}{
			{"English", w.en, "Specific problems (具体问题整改)", "Raised on", "1 Apr 2026"},
			{"zh-CN", w.zh, "具体问题整改", "提出日期", "2026-04-01"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := workbook(t, tt.b.get(t, "/admin/ledgers/export"))
				if got := f.GetSheetList(); len(got) != 3 || got[0] != tt.sheet {
					t.Fatalf("sheets = %q, want %q first", got, tt.sheet)
				}
				for cell, want := range map[string]string{"B1": tt.raised, "I2": tt.deadline} {
					if got, _ := f.GetCellValue(tt.sheet, cell); got != want {
						t.Errorf("%s = %q, want %q", cell, got, want)
					}
				}
			})
		}
	})

	t.Run("evaluation in English", func(t *testing.T) {
		f := workbook(t, w.supervisorEn.get(t, w.evaluation+"/export"))
		if got, want := f.GetSheetList(), []string{"Summary", "Comments and suggestions"}; !slices.Equal(got, want) {
			t.Fatalf("sheets = %q, want %q", got, want)
		}
		rows, _ := f.GetRows("Summary")
		if got := strings.Join(rows[3], " | "); got != "Period | 15 Apr 2026 to 20 Apr 2026" {
			t.Errorf("period row = %q", got)
		}
	})
}

// TestReportFormsProblemsInEnglish: the survey and evaluation forms say what is wrong in the
// reader's language, the field's name around the text's problem included.
func TestReportFormsProblemsInEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin, _ := h.staffIn(t, "admin-en", access.Admin, locale.En)
	tests := []struct {
		name, path string
		form       url.Values
		wants      []string
	}{
		{"survey without a title", "/admin/surveys", func() url.Values {
			v := validSurveyForm()
			v.Set("title", "")
			return v
		}(), []string{"Please give a title.", "Please correct what is marked in red.", `value="还有什么建议？"`}},
		{"survey title too long", "/admin/surveys", func() url.Values {
			v := validSurveyForm()
			v.Set("title", strings.Repeat("长", storage.MaxSurveyTitle+1))
			return v
		}(), []string{"Title: Too long: at most 100 characters, and this has 101."}},
		{"survey ends before it starts", "/admin/surveys", func() url.Values {
			v := validSurveyForm()
			v.Set("ends_on", "2026-04-01")
			return v
		}(), []string{"The end date cannot be before the start date."}},
		{"evaluation without a unit", "/admin/evaluations", url.Values{"title": {"评议"}, "unit": {"nowhere"},
			"opens_on": {"2026-04-15"}, "closes_on": {"2026-04-20"}},
			[]string{"Please choose the unit to be evaluated from the list."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.post(t, tt.path, tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.wants...)
		})
	}
}
