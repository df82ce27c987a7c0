package report

import (
	"minsheng/access"
	"minsheng/period"
	"minsheng/stats"
)

// december is a month of made-up figures beside November and December 2025: the shapes Draft
// gets from stats.Compare, with each list in its vocabulary's order.
func december() (*stats.Comparison, stats.Query) {
	pd, _ := period.Parse("2026-12")
	cur := &stats.Figures{Period: pd, Total: 120,
		ByChannel:   []stats.Count{{Code: "web", N: 80}, {Code: "qr", N: 30}, {Code: "letter", N: 10}},
		ByType:      []stats.Count{{Code: "opinion", N: 60}, {Code: "complaint", N: 50}, {Code: "praise", N: 10}},
		BySubmitter: []stats.Count{{Code: "patient", N: 70}, {Code: "family", N: 50}},
		ByStyle:     []stats.Count{{Code: "formalism", N: 10}, {Code: "bureaucratism", N: 60}, {Code: "hedonism", N: 20}, {Code: "extravagance", N: 4}},
		Untagged:    26,
		ByTag:       []stats.Count{{Code: "bureaucratism-hard", N: 30}, {Code: "eightrules", N: 3}},
		ByLevel:     []stats.Count{{Code: "individual", N: 40}, {Code: "department", N: 20}},
		ByUnit: []stats.UnitFigures{
			{Code: "U1", Name: "县人民医院", Total: 90, ByStyle: []stats.Count{{Code: "bureaucratism", N: 50}}, Open: 5, Overdue: 2},
			{Code: "U2", Name: "县中医院", Total: 30, ByStyle: []stats.Count{{Code: "hedonism", N: 20}}, Open: 1},
		},
		TopDepts: []stats.DeptCount{{Unit: "U1", Dept: "门诊部", N: 12}},
		Problems: []stats.ProblemCount{{ID: "P1", Title: "挂号排队时间长", N: 9}},
		Rectification: stats.Rectification{Assigned: 40, Closed: 20, Done: 30, Open: 10, Deferred: 3, Referred: 1,
			ByLedger:     []stats.Count{{Code: "problem", N: 35}, {Code: "special", N: 5}},
			ByKind:       []stats.Count{{Code: "immediate", N: 20}, {Code: "timed", N: 16}, {Code: "planned", N: 3}, {Code: "referred", N: 1}},
			OverdueCount: 2,
			Overdue:      []stats.Late{{ID: "A1", Unit: "U1", Deadline: "2026-11-20", Days: 11}, {ID: "A2", Unit: "U1", Deadline: "2026-11-25", Days: 6}},
			LookBack:     stats.LookBack{Passed: 8, Failed: 1, Lagging: []stats.Lagging{{ID: "A3", Unit: "U2", Cause: "设备未到位"}}}},
		Satisfaction: stats.Satisfaction{Rated: 50, Satisfied: 35, Basically: 8, Dissatisfied: 7,
			ByUnit: []stats.UnitSatisfaction{{Code: "U1", Name: "县人民医院", Satisfied: 25, Basically: 5, Dissatisfied: 7},
				{Code: "U2", Name: "县中医院", Satisfied: 10, Basically: 3}},
			Redo: []string{"U1"}},
		Conversation: stats.Conversation{Questions: 6, Messages: 2, Answers: 5, Additions: 3, Files: 4,
			ByUnit: []stats.ConversationUnit{{Code: "U1", Questions: 5, Messages: 2, Answers: 4, Additions: 3, Files: 4},
				{Code: "U2", Questions: 1, Answers: 1}}},
		Trend: []stats.Count{{Code: "2026-11", N: 100}, {Code: "2026-12", N: 120}},
	}
	prev := &stats.Figures{Period: pd.Previous(), Total: 100,
		ByChannel:    []stats.Count{{Code: "web", N: 70}, {Code: "qr", N: 28}, {Code: "letter", N: 2}},
		ByStyle:      []stats.Count{{Code: "bureaucratism", N: 50}},
		ByUnit:       []stats.UnitFigures{{Code: "U1", Name: "县人民医院", Total: 100}},
		Conversation: stats.Conversation{Questions: 4, Answers: 4}}
	ly := &stats.Figures{Period: pd.YearBefore(), Total: 0}
	return &stats.Comparison{Current: cur, Previous: prev, LastYear: ly},
		stats.Query{Period: pd, Viewer: access.Viewer{Role: access.Reviewer}, Today: "2026-12-31"}
}

var testUnits = map[string]string{"U1": "县人民医院", "U2": "县中医院", "U3": "县妇幼保健院"}
var testTags = map[string]string{"bureaucratism-hard": "门难进、脸难看、事难办", "eightrules": "八项规定"}
