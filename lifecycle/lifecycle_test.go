package lifecycle

import (
	"testing"

	"minsheng/locale"
	"minsheng/vocab"
)

// TestTransitions checks every pair of statuses against the procedure: 梳理 → 交办 → 整改 →
// 核验 → 回头看 → 满意度 → 销号, with the side exits and the ways back. A move is allowed exactly
// when it is listed here; nothing moves to itself and nothing goes back to 待梳理.
func TestTransitions(t *testing.T) {
	allowed := map[[2]string]bool{
		{Received, Triaged}: true, {Received, Rejected}: true, {Received, Duplicate}: true, {Received, Forwarded}: true,
		{Triaged, Assigned}: true, {Triaged, Closed}: true, {Triaged, Rejected}: true, {Triaged, Duplicate}: true, {Triaged, Forwarded}: true,
		{Assigned, Rectifying}: true, {Assigned, Triaged}: true,
		{Rectifying, Reported}: true,
		{Reported, LookBack}:   true, {Reported, Rectifying}: true,
		{LookBack, Satisfaction}: true, {LookBack, Rectifying}: true,
		{Satisfaction, Closed}: true, {Satisfaction, Rectifying}: true,
		{Closed, Rectifying}: true,
		{Rejected, Triaged}:  true, {Duplicate, Triaged}: true, {Forwarded, Triaged}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			t.Run(from.Code+"→"+to.Code, func(t *testing.T) {
				want := allowed[[2]string{from.Code, to.Code}]
				if got := CanMove(from.Code, to.Code); got != want {
					t.Fatalf("CanMove(%s, %s) = %v, want %v", from.Code, to.Code, got, want)
				}
			})
		}
	}
	for _, bad := range [][2]string{{"", Triaged}, {Received, ""}, {"unknown", Closed}, {Received, "unknown"}} {
		if CanMove(bad[0], bad[1]) {
			t.Errorf("CanMove(%q, %q) = true for an unknown status", bad[0], bad[1])
		}
	}
}

func TestNextIsInWorkflowOrder(t *testing.T) {
	var got []string
	for _, s := range Next(Triaged) {
		got = append(got, s.Code)
	}
	want := []string{Assigned, Closed, Rejected, Duplicate, Forwarded}
	if len(got) != len(want) {
		t.Fatalf("Next(triaged) = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Next(triaged) = %v, want %v", got, want)
		}
	}
	if n := Next(Closed); len(n) != 1 || n[0].Code != Rectifying {
		t.Fatalf("Next(closed) = %v, want only rectifying (reopen)", n)
	}
}

func TestLabelsAndOpen(t *testing.T) {
	zh := locale.Get(locale.Default)
	tests := []struct{ code, label, public string }{
		{Received, "待梳理", "已收到，等待工作人员阅读"},
		{Reported, "已整改待核验", "负责单位报告已整改，正在核实"},
		{Closed, "已销号", "已办结"},
		{"mystery", "mystery", "mystery"},
	}
	for _, tt := range tests {
		if got := LabelIn(zh, tt.code); got != tt.label {
			t.Errorf("Label(%q) = %q, want %q", tt.code, got, tt.label)
		}
		if got := PublicLabelIn(zh, tt.code); got != tt.public {
			t.Errorf("Public(%q) = %q, want %q", tt.code, got, tt.public)
		}
	}
	for _, s := range Statuses {
		want := s.Code == Assigned || s.Code == Rectifying || s.Code == Reported || s.Code == LookBack
		if Open(s.Code) != want {
			t.Errorf("Open(%s) = %v, want %v", s.Code, !want, want)
		}
		if s.Public == "" || s.Label == "" {
			t.Errorf("status %s lacks words", s.Code)
		}
	}
	if !Valid(Closed) || Valid("finished") {
		t.Error("Valid disagrees with the status list")
	}
}

// TestStepProblems checks what each step demands, field by field.
func TestStepProblems(t *testing.T) {
	const today = "2026-04-15"
	full := Step{LeadUnit: "bureau", Responsible: "主任", Measures: "措施", Ledger: "problem", Deadline: "2026-04-15",
		Kind: "timed", Explanation: "说明", Report: "情况", Note: "原因", Reason: "理由", MergeInto: "ABC"}
	with := func(to string, edit func(*Step)) Step {
		s := full
		s.To = to
		if edit != nil {
			edit(&s)
		}
		return s
	}
	tests := []struct {
		name, from string
		step       Step
		field      string // "" when the step is fine
	}{
		{"assign, deadline today", Triaged, with(Assigned, nil), ""},
		{"assign, deadline yesterday", Triaged, with(Assigned, func(s *Step) { s.Deadline = "2026-04-14" }), "deadline"},
		{"assign, bad date", Triaged, with(Assigned, func(s *Step) { s.Deadline = "2026-02-30" }), "deadline"},
		{"assign, no responsible", Triaged, with(Assigned, func(s *Step) { s.Responsible = "  " }), "responsible"},
		{"assign, no lead unit", Triaged, with(Assigned, func(s *Step) { s.LeadUnit = "" }), "lead_unit"},
		{"assign, no measures", Triaged, with(Assigned, func(s *Step) { s.Measures = "" }), "measures"},
		{"assign, bad ledger", Triaged, with(Assigned, func(s *Step) { s.Ledger = "x" }), "ledger"},
		{"assign, measures too long", Triaged, with(Assigned, func(s *Step) { s.Measures = string(make([]rune, 5001)) }), "measures"},
		{"rectify, no kind", Assigned, with(Rectifying, func(s *Step) { s.Kind = "" }), "kind"},
		{"rectify, planned needs explanation", Assigned, with(Rectifying, func(s *Step) { s.Kind = KindPlanned; s.Explanation = "" }), "explanation"},
		{"rectify, referred needs where", Assigned, with(Rectifying, func(s *Step) { s.Kind = KindReferred; s.Note = "" }), "note"},
		{"rectify, immediate needs nothing more", Assigned, with(Rectifying, func(s *Step) { s.Kind = "immediate"; s.Note = ""; s.Explanation = "" }), ""},
		{"back to rectify needs a reason", LookBack, with(Rectifying, func(s *Step) { s.Note = "" }), "note"},
		{"report needs an account", Rectifying, with(Reported, func(s *Step) { s.Report = "" }), "report"},
		{"close after satisfaction needs nothing", Satisfaction, with(Closed, func(s *Step) { s.Note = "" }), ""},
		{"close after a rework waits for the new round's answer", Satisfaction,
			with(Closed, func(s *Step) { s.Visit = Visit{Reworked: true} }), "status"},
		{"close after a rework once the new round is answered", Satisfaction,
			with(Closed, func(s *Step) { s.Visit = Visit{Reworked: true, Answered: true} }), ""},
		{"close after a first round nobody answered", Satisfaction, with(Closed, func(s *Step) { s.Visit = Visit{} }), ""},
		{"close untouched needs a reason", Triaged, with(Closed, func(s *Step) { s.Note = "" }), "note"},
		{"reject needs a reason", Received, with(Rejected, func(s *Step) { s.Reason = "" }), "reason"},
		{"reason with invalid UTF-8", Received, with(Rejected, func(s *Step) { s.Reason = "\xff" }), "reason"},
		{"forward needs where", Received, with(Forwarded, func(s *Step) { s.Reason = "" }), "reason"},
		{"duplicate needs a target", Received, with(Duplicate, func(s *Step) { s.MergeInto = "" }), "merge_into"},
		{"not allowed at all", Received, with(Closed, nil), "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.step.Problems(tt.from, today)
			if tt.field == "" {
				if len(p) != 0 {
					t.Fatalf("Problems = %v, want none", p)
				}
				return
			}
			if p[tt.field].Key == "" || len(p) != 1 {
				t.Fatalf("Problems = %v, want exactly one for %s", p, tt.field)
			}
		})
	}
}

// TestCheckOf names the result of each check of reported work, and nothing for other moves.
func TestCheckOf(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{Reported, LookBack, CheckVerified},
		{Reported, Rectifying, CheckUnverified},
		{LookBack, Satisfaction, CheckPassed},
		{LookBack, Rectifying, CheckFailed},
		{Satisfaction, Rectifying, ""},
		{Rectifying, Reported, ""},
		{Assigned, Rectifying, ""},
	}
	for _, tt := range tests {
		if got := CheckOf(tt.from, tt.to); got != tt.want {
			t.Errorf("CheckOf(%s, %s) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
		if tt.want != "" && !ValidTerm(Checks, tt.want) {
			t.Errorf("%q is not one of Checks", tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	zh := locale.Get(locale.Default)
	if vocab.LabelIn(zh, Kinds, KindPlanned) != "列入计划、逐步解决" || vocab.LabelIn(zh, Ratings, RatingDissatisfied) != "不满意" ||
		vocab.LabelIn(zh, Ledgers, "x") != "x" || !ValidTerm(Levels, "leadership") || ValidTerm(Levels, "") {
		t.Error("terms disagree with their lists")
	}
}

func TestPathTo(t *testing.T) {
	for _, st := range Statuses {
		path := PathTo(st.Code)
		from := Received
		for _, to := range path {
			if !CanMove(from, to) {
				t.Fatalf("PathTo(%s) = %v: %s → %s is not allowed", st.Code, path, from, to)
			}
			from = to
		}
		if from != st.Code {
			t.Errorf("PathTo(%s) = %v ends at %s", st.Code, path, from)
		}
	}
	if PathTo("archived") != nil {
		t.Error("a path to an unknown status")
	}
}

// Ensure the notice board has its own words for every status, none of them a staff label.
func TestBoardWords(t *testing.T) {
	zh := locale.Get(locale.Default)
	seen := map[string]string{}
	for _, s := range Statuses {
		w := BoardIn(zh, s.Code)
		if w == "" || w == s.Label {
			t.Errorf("Board(%s) = %q: want words of its own", s.Code, w)
		}
		if other, dup := seen[w]; dup {
			t.Errorf("Board(%s) and Board(%s) are both %q", s.Code, other, w)
		}
		seen[w] = s.Code
	}
}
