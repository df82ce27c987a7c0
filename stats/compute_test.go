package stats

import (
	"context"
	"encoding/json"
	"minsheng/internal/storetest"
	"reflect"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/storage"
)

// april is the fixture every figure below was counted from by hand. April 2026 (created on
// 5 April unless said):
//
//	A complaint, county-hospital, 内科, web, patient, styles formalism+hedonism, tag
//	  service_attitude, level department; 交办 to county-hospital, ledger problem, deadline
//	  20 April: still 已交办, 11 days late on 1 May.
//	B complaint, county-hospital, 内科, letter, family, style formalism; 整改中 (立行立改),
//	  ledger special, deadline 25 April: 6 days late.
//	C suggestion, tcm-hospital, 药房, web, public; 列入计划, ledger system, deadline 10 May;
//	  reported, looked back, failed ("整改不到位"): 整改中 again.
//	D praise, tcm-hospital; 限期整改, ledger problem, deadline 30 April; passed its look-back,
//	  rated 满意 on 6 April, 已销号.
//	E 举报 about county-hospital (属实, 追责); F a letter to the discipline mailbox;
//	G an 意见 to the director's mailbox about mch-hospital;
//	H and I complaints about chengguan-v1 (a 村卫生室 under chengguan-thc), one problem;
//	J a complaint about qingshan-thc.
//
// March 2026: two complaints about county-hospital, and five about mch-hospital that reach
// 满意度回访 and are rated on 7 April: four 满意, one 不满意 (80 %, under RedoRate).
// April 2025: one complaint.
type april struct {
	*world
	a, b, c, d, e, f, g, h, i, j string
	problem                      string
}

func newApril(t *testing.T, e storetest.Engine) *april {
	w := newWorld(t, e)
	ctx := context.Background()
	if err := w.st.CreateUnit(ctx, 0, storage.NewUnit{Code: "chengguan-v1", Name: "城关一村卫生室", ParentCode: "chengguan-thc", Kind: "village"}); err != nil {
		t.Fatal(err)
	}
	x := &april{world: w}
	w.on("2025-04-10").opinion(storage.NewOpinion{})
	w.on("2026-03-03")
	w.opinion(storage.NewOpinion{})
	w.opinion(storage.NewOpinion{})
	var mch []string
	for range 5 {
		id := w.opinion(storage.NewOpinion{UnitCode: "mch-hospital"})
		w.walk(id, lifecycle.Satisfaction, work{"mch-hospital", "problem", "2026-03-20", "immediate"})
		mch = append(mch, id)
	}
	w.on("2026-04-05")
	x.a = w.opinion(storage.NewOpinion{Dept: "内科"})
	x.b = w.opinion(storage.NewOpinion{Dept: "内科", Channel: "letter", Submitter: "family", ReceivedOn: "2026-04-04"})
	x.c = w.opinion(storage.NewOpinion{Type: "suggestion", UnitCode: "tcm-hospital", Dept: "药房", Submitter: "public"})
	x.d = w.opinion(storage.NewOpinion{Type: "praise", UnitCode: "tcm-hospital"})
	x.e = w.opinion(storage.NewOpinion{Type: "report"})
	x.f = w.opinion(storage.NewOpinion{MailboxCode: "discipline"})
	x.g = w.opinion(storage.NewOpinion{Type: "opinion", UnitCode: "mch-hospital", MailboxCode: "director"})
	x.h = w.opinion(storage.NewOpinion{UnitCode: "chengguan-v1"})
	x.i = w.opinion(storage.NewOpinion{UnitCode: "chengguan-v1"})
	x.j = w.opinion(storage.NewOpinion{UnitCode: "qingshan-thc"})

	if err := w.st.SetStylesAndTags(ctx, 0, x.a, []string{"formalism", "hedonism"}, []string{"service_attitude"}); err != nil {
		t.Fatal(err)
	}
	if err := w.st.SetStylesAndTags(ctx, 0, x.b, []string{"formalism"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.st.Classify(ctx, 0, x.a, "department", false); err != nil {
		t.Fatal(err)
	}
	w.walk(x.a, lifecycle.Assigned, work{"county-hospital", "problem", "2026-04-20", ""})
	w.walk(x.b, lifecycle.Rectifying, work{"county-hospital", "special", "2026-04-25", "immediate"})
	w.walk(x.c, lifecycle.LookBack, work{"tcm-hospital", "system", "2026-05-10", "planned"})
	w.step(x.c, lifecycle.Step{To: lifecycle.Rectifying, Note: "整改不到位"})
	w.walk(x.d, lifecycle.Satisfaction, work{"tcm-hospital", "problem", "2026-04-30", "timed"})
	if err := w.st.SetFlags(ctx, 0, x.e, storage.Flags{Substantiated: true, Accountability: true}); err != nil {
		t.Fatal(err)
	}
	var err error
	if x.problem, err = w.st.Group(ctx, 0, x.i, x.h, "候诊区太挤"); err != nil {
		t.Fatal(err)
	}
	w.on("2026-04-06").rate(x.d, "satisfied")
	w.step(x.d, lifecycle.Step{To: lifecycle.Closed})
	w.on("2026-04-07")
	for i, id := range mch {
		rating := "satisfied"
		if i == 0 {
			rating = "dissatisfied"
		}
		w.rate(id, rating)
	}
	return x
}

func mustParse(t *testing.T, s string) period.Period {
	t.Helper()
	p, err := period.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// office is the 活动办 reviewer who reads the director's mailbox.
var office = access.Viewer{Role: access.Reviewer, Mailboxes: []string{"director"}}

func TestComputeFigures(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		x := newApril(t, e)
		f, err := Compute(context.Background(), x.st, Query{Period: mustParse(t, "2026-04"), Viewer: office, Today: "2026-05-01"})
		if err != nil {
			t.Fatal(err)
		}
		zero := func(codes ...string) []Count { // Counts of codes, all zero
			out := make([]Count, len(codes))
			for i, c := range codes {
				out[i] = Count{Code: c}
			}
			return out
		}
		set := func(list []Count, n map[string]int) []Count {
			for i := range list {
				list[i].N = n[list[i].Code]
			}
			return list
		}
		styles := func(n map[string]int) []Count {
			return set(zero("formalism", "bureaucratism", "hedonism", "extravagance"), n)
		}
		tests := []struct {
			name      string
			got, want any
		}{
			{"total", f.Total, 8},
			{"by channel", f.ByChannel, set(zero("web", "qr", "kiosk", "box", "letter", "phone", "sms", "forum", "visit",
				"questionnaire", "evaluation", "email", "inspection", "media", "petition", "talk", "home_visit", "paper"),
				map[string]int{"web": 7, "letter": 1})},
			{"by type, no 举报 row", f.ByType, set(zero("opinion", "suggestion", "complaint", "praise"),
				map[string]int{"opinion": 1, "suggestion": 1, "complaint": 5, "praise": 1})},
			{"by submitter", f.BySubmitter, set(zero("patient", "family", "staff", "public", "party_member", "client", "deputy",
				"monitor", "other"),
				map[string]int{"patient": 6, "family": 1, "public": 1})},
			{"by style", f.ByStyle, styles(map[string]int{"formalism": 2, "hedonism": 1})},
			{"untagged", f.Untagged, 6},
			{"by tag, used only", f.ByTag, []Count{{"service_attitude", 1}}},
			{"by status", f.ByStatus, set(zero(statusCodes...), map[string]int{"received": 3, "assigned": 1, "rectifying": 2,
				"closed": 1, "duplicate": 1})},
			{"by level", f.ByLevel, set(zero("individual", "department", "leadership", "combined"), map[string]int{"department": 1})},
			{"by unit, tree order", f.ByUnit, []UnitFigures{
				{Code: "county-hospital", Name: "县人民医院", Total: 2, ByStyle: styles(map[string]int{"formalism": 2, "hedonism": 1}), Open: 2, Overdue: 2},
				{Code: "tcm-hospital", Name: "县中医院", Total: 2, ByStyle: styles(nil), Untagged: 2, Open: 1},
				{Code: "mch-hospital", Name: "县妇幼保健院", Total: 1, ByStyle: styles(nil), Untagged: 1},
				{Code: "chengguan-v1", Name: "城关一村卫生室", Total: 2, ByStyle: styles(nil), Untagged: 2},
				{Code: "qingshan-thc", Name: "青山乡卫生院", Total: 1, ByStyle: styles(nil), Untagged: 1},
			}},
			{"top 科室", f.TopDepts, []DeptCount{{"county-hospital", "内科", 2}, {"tcm-hospital", "药房", 1}}},
			{"problems raised by two or more", f.Problems, []ProblemCount{{x.problem, "候诊区太挤", 2}}},
			{"rectification", f.Rectification, Rectification{
				Assigned: 4,
				ByLedger: set(zero("problem", "special", "system"), map[string]int{"problem": 2, "special": 1, "system": 1}),
				ByKind:   set(zero("immediate", "timed", "planned", "referred"), map[string]int{"immediate": 1, "timed": 1, "planned": 1}),
				Closed:   1, Done: 1, Open: 3, Deferred: 1,
				Overdue:      []Late{{x.a, "county-hospital", "2026-04-20", 11}, {x.b, "county-hospital", "2026-04-25", 6}},
				OverdueCount: 2,
				LookBack:     LookBack{Passed: 1, Failed: 1, Lagging: []Lagging{{x.c, "tcm-hospital", "整改不到位"}}},
			}},
			{"satisfaction", f.Satisfaction, Satisfaction{Rated: 6, Satisfied: 5, Dissatisfied: 1,
				ByUnit: []UnitSatisfaction{{Code: "tcm-hospital", Name: "县中医院", Satisfied: 1},
					{Code: "mch-hospital", Name: "县妇幼保健院", Satisfied: 4, Dissatisfied: 1}},
				Redo: []string{"mch-hospital"}, BelowTarget: []string{"mch-hospital"}}},
			{"satisfaction rate", func() []any { r, ok := f.Satisfaction.Rate(); return []any{r, ok} }(), []any{100 * 5 / 6.0, true}},
			{"no 举报 figures", f.Reports, (*Reports)(nil)},
			{"trend", f.Trend, set(zero("2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
				"2026-01", "2026-02", "2026-03", "2026-04"), map[string]int{"2026-03": 7, "2026-04": 8})},
			{"omitted", f.Omitted, office.OmittedIn(locale.Get(locale.Default))},
			{"period", f.Period, mustParse(t, "2026-04")},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if !reflect.DeepEqual(tt.got, tt.want) {
					t.Errorf("\n got %+v\nwant %+v", tt.got, tt.want)
				}
			})
		}
	})
}

// TestComputeScope: each reader counts what they may open, and the figures say what is left out.
func TestComputeScope(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		x := newApril(t, e)
		en := locale.Get(locale.En)
		tests := []struct {
			name        string
			q           Query
			total       int
			reports     *Reports
			types       []string // ByType's codes
			omitted     string
			unitsListed []string
		}{
			{"discipline sees 举报 and its mailbox only", Query{Viewer: access.Viewer{Role: access.Discipline}}, 2,
				&Reports{Received: 2, Substantiated: 1, Accountability: 1},
				[]string{"opinion", "suggestion", "complaint", "report", "praise"},
				access.Viewer{Role: access.Discipline}.Omitted(), []string{"county-hospital"}},
			{"for the public, whoever asks: no 举报, no discipline letters, every other letter",
				Query{Viewer: access.Viewer{Role: access.Discipline}, Public: true}, 8, nil,
				[]string{"opinion", "suggestion", "complaint", "praise"}, locale.Get(locale.Default).T("stats.omitted_public"),
				[]string{"county-hospital", "tcm-hospital", "mch-hospital", "chengguan-v1", "qingshan-thc"}},
			{"for the public, in English", Query{Viewer: access.Viewer{Role: access.Admin}, Public: true, Printer: en}, 8, nil,
				[]string{"opinion", "suggestion", "complaint", "praise"}, en.T("stats.omitted_public"),
				[]string{"county-hospital", "tcm-hospital", "mch-hospital", "chengguan-v1", "qingshan-thc"}},
			{"an administrator who does not read the mailbox", Query{Viewer: access.Viewer{Role: access.Admin}}, 7, nil,
				[]string{"opinion", "suggestion", "complaint", "praise"}, access.Viewer{Role: access.Admin}.Omitted(),
				[]string{"county-hospital", "tcm-hospital", "chengguan-v1", "qingshan-thc"}},
			{"liaison of county-hospital", Query{Viewer: access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: "2026-05-01"}}, 2, nil,
				[]string{"opinion", "suggestion", "complaint", "praise"}, access.Viewer{Role: access.Liaison}.Omitted(), []string{"county-hospital"}},
			{"one unit and the units under it", Query{Viewer: office, Unit: "chengguan-thc"}, 2, nil,
				[]string{"opinion", "suggestion", "complaint", "praise"}, office.Omitted(), []string{"chengguan-v1"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.q.Period, tt.q.Today = mustParse(t, "2026-04"), "2026-05-01"
				f, err := Compute(context.Background(), x.st, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				var types []string
				for _, c := range f.ByType {
					types = append(types, c.Code)
				}
				units := []string{}
				for _, u := range f.ByUnit {
					units = append(units, u.Code)
				}
				if f.Total != tt.total || !reflect.DeepEqual(f.Reports, tt.reports) || !reflect.DeepEqual(types, tt.types) ||
					f.Omitted != tt.omitted || !reflect.DeepEqual(units, tt.unitsListed) {
					t.Errorf("total %d, reports %+v, types %v, omitted %q, units %v;\nwant %d, %+v, %v, %q, %v",
						f.Total, f.Reports, types, f.Omitted, units, tt.total, tt.reports, tt.types, tt.omitted, tt.unitsListed)
				}
			})
		}
	})
}

func TestCompare(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		x := newApril(t, e)
		c, err := Compare(context.Background(), x.st, Query{Period: mustParse(t, "2026-04"), Viewer: office, Today: "2026-05-01"})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name      string
			f         *Figures
			period    string
			total     int
			rated     int
			withTrend bool
		}{
			{"current", c.Current, "2026-04", 8, 6, true},
			{"previous month (环比)", c.Previous, "2026-03", 7, 0, false},
			{"same month last year (同比)", c.LastYear, "2025-04", 1, 0, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.f.Period != mustParse(t, tt.period) || tt.f.Total != tt.total || tt.f.Satisfaction.Rated != tt.rated ||
					(tt.f.Trend != nil) != tt.withTrend {
					t.Errorf("period %v total %d rated %d trend %v; want %s %d %d trend %v",
						tt.f.Period, tt.f.Total, tt.f.Satisfaction.Rated, tt.f.Trend != nil, tt.period, tt.total, tt.rated, tt.withTrend)
				}
			})
		}
		// A comparison is frozen into an issued report as JSON: it must come back the same.
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back Comparison
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&back, c) {
			t.Errorf("JSON round trip changed the comparison:\n%s", data)
		}
	})
}

// TestOverdueDays: how late open work is depends on Query.Today alone, and the list keeps the
// MaxListed latest, while the counts count every one.
func TestOverdueDays(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		x := newApril(t, e)
		tests := []struct {
			today string
			want  []Late
			count int
		}{
			{"2026-04-20", nil, 0}, // due today is not late
			{"2026-04-21", []Late{{x.a, "county-hospital", "2026-04-20", 1}}, 1},
			{"2026-05-01", []Late{{x.a, "county-hospital", "2026-04-20", 11}, {x.b, "county-hospital", "2026-04-25", 6}}, 2},
			{"2026-06-01", []Late{{x.a, "county-hospital", "2026-04-20", 42}, {x.b, "county-hospital", "2026-04-25", 37},
				{x.c, "tcm-hospital", "2026-05-10", 22}}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.today, func(t *testing.T) {
				f, err := Compute(context.Background(), x.st, Query{Period: mustParse(t, "2026-04"), Viewer: office, Today: tt.today})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(f.Rectification.Overdue, tt.want) || f.Rectification.OverdueCount != tt.count {
					t.Errorf("overdue %+v (%d), want %+v (%d)", f.Rectification.Overdue, f.Rectification.OverdueCount, tt.want, tt.count)
				}
			})
		}
	})
}
