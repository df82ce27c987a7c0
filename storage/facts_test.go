package storage

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/lifecycle"
)

// factsFixture is a small database: opinions in two months, of every kind a filter separates.
type factsFixture struct {
	s                                          *Store
	plain, report, discipline, director, child string
	member, carrier, march, problem            string
}

// at sets the clock to noon of day in China.
func at(c interface{ Set(time.Time) }, day string) {
	d, _ := time.Parse("2006-01-02", day)
	c.Set(d.Add(4 * time.Hour)) // 12:00 in China
}

func newFactsFixture(t *testing.T, b backend) factsFixture {
	t.Helper()
	ctx := context.Background()
	clock := newClock(fixedTime)
	s := b.mustOpenClock(t, clock)
	if err := s.CreateUnit(ctx, 0, NewUnit{Code: "chengguan-v1", Name: "城关一村卫生室", ParentCode: "chengguan-thc", Kind: "village"}); err != nil {
		t.Fatal(err)
	}
	f := factsFixture{s: s}
	at(clock, "2026-03-10")
	f.march = mustCreateOpinion(t, s, NewOpinion{})
	at(clock, "2026-04-02")
	f.plain = mustCreateOpinion(t, s, NewOpinion{Dept: "内科", Channel: "letter", Submitter: "family"})
	f.report = mustCreateOpinion(t, s, NewOpinion{Type: "report"})
	f.discipline = mustCreateOpinion(t, s, NewOpinion{MailboxCode: "discipline"})
	f.director = mustCreateOpinion(t, s, NewOpinion{MailboxCode: "director"})
	f.child = mustCreateOpinion(t, s, NewOpinion{UnitCode: "chengguan-v1"})
	f.carrier = mustCreateOpinion(t, s, NewOpinion{})
	f.member = mustCreateOpinion(t, s, NewOpinion{})
	if err := s.SetStylesAndTags(ctx, 0, f.plain, []string{"hedonism", "formalism"}, []string{"service_attitude", "formalism-meetings"}); err != nil {
		t.Fatal(err)
	}
	walkTo(t, s, f.plain, lifecycle.LookBack)
	if err := s.Transition(ctx, 0, f.plain, lifecycle.Step{To: lifecycle.Rectifying, Note: "复查仍排长队"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFlags(ctx, 0, f.report, Flags{Substantiated: true, Accountability: true}); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.problem, err = s.Group(ctx, 0, f.member, f.carrier, "挂号排队"); err != nil {
		t.Fatal(err)
	}
	// Group chooses the carrier by its own rule.
	if p, err := s.ProblemOf(ctx, f.member, nil); err != nil {
		t.Fatal(err)
	} else if p.Carrier != f.carrier {
		f.member, f.carrier = f.carrier, f.member
	}
	return f
}

// collectFacts returns the facts f selects, by id (copied: EachFact refills one Fact).
func collectFacts(t *testing.T, s *Store, f FactFilter) map[string]Fact {
	t.Helper()
	out := map[string]Fact{}
	err := s.EachFact(context.Background(), f, func(x *Fact) error {
		c := *x
		c.Styles = append([]string(nil), x.Styles...)
		c.Tags = append([]string(nil), x.Tags...)
		out[x.ID] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func idsOf(m map[string]Fact) []string {
	var ids []string
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func sorted(ids ...string) []string {
	sort.Strings(ids)
	return ids
}

func TestEachFactFields(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		fx := newFactsFixture(t, b)
		facts := collectFacts(t, fx.s, FactFilter{})
		p := facts[fx.plain]
		sort.Strings(p.Tags) // in no particular order
		want := Fact{ID: fx.plain, CreatedOn: "2026-04-02", Type: "complaint", Channel: "letter", Submitter: "family",
			UnitCode: "county-hospital", Dept: "内科", Status: lifecycle.Rectifying,
			Styles: []string{"formalism", "hedonism"}, Tags: []string{"formalism-meetings", "service_attitude"},
			LeadUnit: "county-hospital", Ledger: "problem", Kind: "timed", Deadline: "2030-01-01",
			Checked: lifecycle.CheckFailed, Note: "复查仍排长队"}
		if !reflect.DeepEqual(p, want) {
			t.Errorf("plain fact\n got %+v\nwant %+v", p, want)
		}
		tests := []struct {
			name string
			id   string
			ok   func(Fact) bool
		}{
			{"report flags", fx.report, func(f Fact) bool { return f.Type == "report" && f.Substantiated && f.Accountability && !f.Unfounded }},
			{"discipline mailbox", fx.discipline, func(f Fact) bool { return f.MailboxCode == "discipline" && f.DisciplineMailbox }},
			{"ordinary mailbox", fx.director, func(f Fact) bool { return f.MailboxCode == "director" && !f.DisciplineMailbox }},
			{"problem member", fx.member, func(f Fact) bool {
				return f.Status == lifecycle.Duplicate && f.MergedInto == fx.carrier && f.ProblemID == fx.problem && f.ProblemTitle == "挂号排队"
			}},
			{"problem carrier", fx.carrier, func(f Fact) bool { return f.MergedInto == "" && f.ProblemID == fx.problem }},
			{"no rectification", fx.child, func(f Fact) bool {
				return f.LeadUnit == "" && f.Level == "" && len(f.Styles) == 0 && len(f.Tags) == 0 && f.ProblemID == ""
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if f, ok := facts[tt.id]; !ok || !tt.ok(f) {
					t.Errorf("fact %s = %+v (found %v)", tt.id, f, ok)
				}
			})
		}
	})
}

func TestEachFactFilters(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		fx := newFactsFixture(t, b)
		april := func(f FactFilter) FactFilter { f.From, f.To = "2026-04-01", "2026-05-01"; return f }
		tests := []struct {
			name string
			f    FactFilter
			want []string
		}{
			{"everything", FactFilter{}, sorted(fx.march, fx.plain, fx.report, fx.discipline, fx.director, fx.child, fx.carrier, fx.member)},
			{"march", FactFilter{From: "2026-03-01", To: "2026-04-01"}, []string{fx.march}},
			{"public", april(FactFilter{Public: true}), sorted(fx.plain, fx.director, fx.child, fx.carrier, fx.member)},
			{"unit and the units under it", april(FactFilter{Unit: "chengguan-thc"}), []string{fx.child}},
			{"the whole tree", april(FactFilter{Unit: "bureau"}), sorted(fx.plain, fx.report, fx.discipline, fx.director, fx.child, fx.carrier, fx.member)},
			{"reviewer", april(FactFilter{Viewer: &access.Viewer{Role: access.Reviewer}}), sorted(fx.plain, fx.child, fx.carrier, fx.member)},
			{"reviewer reading the director's mailbox", april(FactFilter{Viewer: &access.Viewer{Role: access.Reviewer, Mailboxes: []string{"director"}}}),
				sorted(fx.plain, fx.director, fx.child, fx.carrier, fx.member)},
			{"discipline", april(FactFilter{Viewer: &access.Viewer{Role: access.Discipline}}), sorted(fx.report, fx.discipline)},
			{"discipline, public", april(FactFilter{Viewer: &access.Viewer{Role: access.Discipline}, Public: true}), nil},
			{"liaison", april(FactFilter{Viewer: &access.Viewer{Role: access.Liaison, Unit: "county-hospital"}}), []string{fx.plain}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := idsOf(collectFacts(t, fx.s, tt.f)); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("ids = %v, want %v", got, tt.want)
				}
			})
		}
	})
}

func TestEachRating(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, eng backend) {
		t.Parallel()
		ctx := context.Background()
		clock := newClock(fixedTime)
		s := eng.mustOpenClock(t, clock)
		at(clock, "2026-04-02")
		a := mustCreateOpinion(t, s, NewOpinion{Dept: "药房"})
		b := mustCreateOpinion(t, s, NewOpinion{UnitCode: "tcm-hospital", Type: "report"})
		walkTo(t, s, a, lifecycle.Satisfaction)
		walkTo(t, s, b, lifecycle.Satisfaction)
		at(clock, "2026-04-20")
		if err := s.Rate(ctx, a, "dissatisfied", ""); err != nil {
			t.Fatal(err)
		}
		at(clock, "2026-05-03")
		if err := s.Rate(ctx, b, "satisfied", ""); err != nil {
			t.Fatal(err)
		}
		// a was sent back by its 不满意; brought to 满意度回访 again, it is answered in round 2.
		walkBack := []string{lifecycle.Reported, lifecycle.LookBack, lifecycle.Satisfaction}
		for _, st := range walkBack {
			if err := s.Transition(ctx, 0, a, fullStep(st, "")); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Rate(ctx, a, "basically", ""); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			f    FactFilter
			want []RatingFact
		}{
			{"april, by the day given", FactFilter{From: "2026-04-01", To: "2026-05-01"},
				[]RatingFact{{a, "county-hospital", "药房", "dissatisfied", "2026-04-20", 1}}},
			{"may", FactFilter{From: "2026-05-01", To: "2026-06-01"},
				[]RatingFact{{a, "county-hospital", "药房", "basically", "2026-05-03", 2}, {b, "tcm-hospital", "", "satisfied", "2026-05-03", 1}}},
			{"may, public", FactFilter{From: "2026-05-01", To: "2026-06-01", Public: true},
				[]RatingFact{{a, "county-hospital", "药房", "basically", "2026-05-03", 2}}},
			{"may, one unit", FactFilter{From: "2026-05-01", To: "2026-06-01", Unit: "tcm-hospital", Viewer: &access.Viewer{Role: access.Discipline}},
				[]RatingFact{{b, "tcm-hospital", "", "satisfied", "2026-05-03", 1}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got []RatingFact
				if err := s.EachRating(ctx, tt.f, func(g RatingFact) error { got = append(got, g); return nil }); err != nil {
					t.Fatal(err)
				}
				sort.Slice(got, func(i, j int) bool { return got[i].OpinionID+got[i].RatedOn < got[j].OpinionID+got[j].RatedOn })
				sort.Slice(tt.want, func(i, j int) bool {
					return tt.want[i].OpinionID+tt.want[i].RatedOn < tt.want[j].OpinionID+tt.want[j].RatedOn
				})
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("ratings\n got %+v\nwant %+v", got, tt.want)
				}
			})
		}
	})
}

func TestMonthCounts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		fx := newFactsFixture(t, b)
		tests := []struct {
			name string
			f    FactFilter
			want []MonthCount
		}{
			{"everything", FactFilter{}, []MonthCount{{"2026-03", 1}, {"2026-04", 7}}},
			{"span", FactFilter{From: "2026-04-01", To: "2026-05-01"}, []MonthCount{{"2026-04", 7}}},
			{"public", FactFilter{Public: true}, []MonthCount{{"2026-03", 1}, {"2026-04", 5}}},
			{"unit", FactFilter{Unit: "chengguan-thc"}, []MonthCount{{"2026-04", 1}}},
			{"discipline", FactFilter{Viewer: &access.Viewer{Role: access.Discipline}}, []MonthCount{{"2026-04", 2}}},
			{"liaison", FactFilter{Viewer: &access.Viewer{Role: access.Liaison, Unit: "county-hospital"}}, []MonthCount{{"2026-04", 1}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := fx.s.MonthCounts(context.Background(), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("MonthCounts = %v, want %v", got, tt.want)
				}
			})
		}
	})
}

// TestMonthCountsReadAnIndexOnly: the trend of a report counts a year of opinions; it must read
// the entries of opinions_by_status, never the rows (each holds the text: a year of them is
// most of the file).
// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestMonthCountsReadAnIndexOnly(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	year := func(f FactFilter) FactFilter { f.From, f.To = "2026-01-01", "2027-01-01"; return f }
	tests := []struct {
		name string
		f    FactFilter
	}{
		{"everything", year(FactFilter{})},
		{"public", year(FactFilter{Public: true})},
		{"unit", year(FactFilter{Unit: "bureau"})},
		{"reviewer", year(FactFilter{Viewer: &access.Viewer{Role: access.Reviewer, Mailboxes: []string{"director"}}})},
		{"discipline", year(FactFilter{Viewer: &access.Viewer{Role: access.Discipline}})},
		{"leader", year(FactFilter{Viewer: &access.Viewer{Role: access.Leader, Linked: []string{"tcm-hospital"}}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			where, args := tt.f.where("o.created_on")
			plan := queryPlan(t, s, monthCountsSQL(where, tt.f, "sqlite"), args...)
			if !strings.Contains(plan, "USING COVERING INDEX opinions_by_status") {
				t.Errorf("plan does not read opinions_by_status alone:\n%s", plan)
			}
			if strings.Contains(plan, "SCAN o\n") || strings.Contains(plan, "USING PRIMARY KEY") && strings.Contains(plan, " o ") {
				t.Errorf("plan reads the rows of opinions:\n%s", plan)
			}
		})
	}
}

// TestEachRatingReadsTheDaysIndex: a period's ratings are found in ratings_by_day, never by
// reading the whole ratings table or every opinion.
// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestEachRatingReadsTheDaysIndex(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	month := func(f FactFilter) FactFilter { f.From, f.To = "2026-12-01", "2027-01-01"; return f }
	tests := []struct {
		name string
		f    FactFilter
	}{
		{"everything", month(FactFilter{})},
		{"unit", month(FactFilter{Unit: "bureau"})},
		{"liaison", month(FactFilter{Viewer: &access.Viewer{Role: access.Liaison, Unit: "county-hospital"}})},
		{"reviewer", month(FactFilter{Viewer: &access.Viewer{Role: access.Reviewer}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			where, args := tt.f.where("g.rated_on")
			plan := queryPlan(t, s, ratingFactsSQL(where), args...)
			if !strings.Contains(plan, "SEARCH g USING INDEX ratings_by_day (rated_on>? AND rated_on<?)") {
				t.Errorf("plan does not find the ratings by their day:\n%s", plan)
			}
			for _, table := range []string{"SCAN g", "SCAN o", "SCAN r"} {
				if strings.Contains(plan, table) {
					t.Errorf("plan scans a table (%s):\n%s", table, plan)
				}
			}
		})
	}
}

// TestEachFactReadsRowsInIdOrder: the ids of a span are read from an index and sorted first,
// then each row by its key in that order (factsSQL says why); the table is never scanned.
// SQLite only: EXPLAIN QUERY PLAN is SQLite's planner (PostgreSQL's chooses by statistics).
func TestEachFactReadsRowsInIdOrder(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	tests := []struct {
		name string
		f    FactFilter
	}{
		{"month", FactFilter{From: "2026-04-01", To: "2026-05-01"}},
		{"unit, public", FactFilter{From: "2026-04-01", To: "2026-05-01", Unit: "bureau", Public: true}},
		{"liaison", FactFilter{From: "2026-04-01", To: "2026-05-01", Viewer: &access.Viewer{Role: access.Liaison, Unit: "county-hospital"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			query, args := factsSQL(tt.f)
			plan := queryPlan(t, s, query, args...)
			if !strings.Contains(plan, "USE TEMP B-TREE FOR ORDER BY") || !strings.Contains(plan, "SEARCH o USING PRIMARY KEY (id=?)") ||
				strings.Contains(plan, "SCAN o\n") {
				t.Errorf("rows not read by key:\n%s", plan)
			}
		})
	}
}

// TestEachFactStopsWhenCancelled: the facts are read with a context the driver cannot cancel
// (cancelCheck says why), so EachFact looks at the caller's own: a report whose page was left
// stops within cancelCheck rows.
func TestEachFactStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		batch := make([]SeedOpinion, 3*cancelCheck)
		for i := range batch {
			batch[i] = SeedOpinion{NewOpinion: NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
				Content: "挂号排队两个小时"}, CreatedOn: "2026-03-02", Status: lifecycle.Received}
		}
		if err := s.InsertSeed(context.Background(), batch); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		seen := 0
		err := s.EachFact(ctx, FactFilter{}, func(*Fact) error {
			seen++
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || seen > cancelCheck {
			t.Errorf("after cancelling: %d facts read, error %v; want at most %d and context.Canceled", seen, err, cancelCheck)
		}
	})
}
