package period

import "testing"

func TestParseAndString(t *testing.T) {
	cases := []struct {
		name, in, from, to, back string
	}{
		{"month", "2026-12", "2026-12-01", "2027-01-01", "2026-12"},
		{"february of a leap year", "2028-02", "2028-02-01", "2028-03-01", "2028-02"},
		{"quarter", "2026-Q4", "2026-10-01", "2027-01-01", "2026-Q4"},
		{"first quarter", "2026-Q1", "2026-01-01", "2026-04-01", "2026-Q1"},
		{"half", "2026-H2", "2026-07-01", "2027-01-01", "2026-H2"},
		{"year", "2026", "2026-01-01", "2027-01-01", "2026"},
		{"range", "2026-11-01..2026-12-15", "2026-11-01", "2026-12-16", "2026-11-01..2026-12-15"},
		{"one day", "2026-11-01..2026-11-01", "2026-11-01", "2026-11-02", "2026-11-01..2026-11-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.From != c.from || p.To != c.to || p.String() != c.back {
				t.Errorf("Parse(%q) = %+v, String %q; want %s..%s, %q", c.in, p, p.String(), c.from, c.to, c.back)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{"", "26-12", "2026-13", "2026-Q5", "2026-H3", "2026-12-15..2026-11-01", "2026-1", "2026-11-31..2026-12-01", "abc"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestComparisons(t *testing.T) {
	cases := []struct {
		name, in, prev, yearBefore string
	}{
		{"month after new year", "2026-01", "2025-12", "2025-01"},
		{"quarter", "2026-Q1", "2025-Q4", "2025-Q1"},
		{"half", "2026-H1", "2025-H2", "2025-H1"},
		{"year", "2026", "2025", "2025"},
		{"range", "2026-11-01..2026-11-10", "2026-10-22..2026-10-31", "2025-11-01..2025-11-10"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, _ := Parse(c.in)
			if got := p.Previous().String(); got != c.prev {
				t.Errorf("Previous = %s, want %s", got, c.prev)
			}
			if got := p.YearBefore().String(); got != c.yearBefore {
				t.Errorf("YearBefore = %s, want %s", got, c.yearBefore)
			}
		})
	}
}

func TestMonthsAndTrend(t *testing.T) {
	p, _ := Parse("2026-Q4")
	if got := p.Months(); len(got) != 3 || got[0] != "2026-10" || got[2] != "2026-12" {
		t.Errorf("Months = %v", got)
	}
	trend := p.TrailingMonths(12)
	if trend.From != "2026-01-01" || trend.To != "2027-01-01" || len(trend.Months()) != 12 {
		t.Errorf("TrailingMonths(12) = %+v", trend)
	}
	r, _ := Parse("2026-11-05..2026-12-15")
	if got := r.Months(); len(got) != 2 || got[0] != "2026-11" || got[1] != "2026-12" {
		t.Errorf("range Months = %v", got)
	}
	if !r.Contains("2026-12-15") || r.Contains("2026-12-16") || r.Contains("2026-11-04") || r.Days() != 41 {
		t.Errorf("Contains/Days wrong for %+v (days %d)", r, r.Days())
	}
}
