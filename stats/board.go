package stats

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"minsheng/period"
	"minsheng/storage"
)

// Board is what the public notice board (/gongshi) counts: the opinions of the year so far,
// leaving out 举报 and letters to a discipline mailbox (Query.Public), whoever reads the board.
// The figures are exact: the board prints them through Disclose, DiscloseTable and
// DiscloseEach, never as they are.
type Board struct {
	Year    int
	Figures *Figures // the year up to today, as Compute counts it with Public set
	Months  []string // "YYYY-MM" from January to today's month: the columns of Units
	// Units is the unit × month table: every unit of the tree that is in service, in tree
	// order, then any other unit with opinions this year (a retired one), by name, so that the
	// table adds up to Figures.Total.
	Units []BoardUnit
	// Families are the problem families (汇总梳理) the board may count, in the taxonomy's order:
	// every family in service, zeros included, a retired one only when it counts some, and
	// never storage.BoardWithheldFamilies.
	Families []storage.FamilyCount
}

// BoardUnit is one row of the board's unit × month table.
type BoardUnit struct {
	Code, Name string
	Months     []Count // one per Board.Months, Code the month
}

// Table is the unit × month table as DiscloseTable takes it.
func (b *Board) Table() [][]Count {
	rows := make([][]Count, len(b.Units))
	for i, u := range b.Units {
		rows[i] = u.Months
	}
	return rows
}

// ComputeBoard counts the board's figures for the year of today (YYYY-MM-DD), up to today's
// month. It reads the whole year once: callers cache it.
func ComputeBoard(ctx context.Context, st *storage.Store, today string) (*Board, error) {
	return computeBoard(ctx, st, today, func(string) bool { return true })
}

// ComputeBranchBoard is ComputeBoard for the opinions about units, one branch of the unit
// tree (#15: the board of one county): its figures and table hold those units alone.
func ComputeBranchBoard(ctx context.Context, st *storage.Store, today string, units []string) (*Board, error) {
	return computeBoard(ctx, st, today, func(code string) bool { return slices.Contains(units, code) })
}

func computeBoard(ctx context.Context, st *storage.Store, today string, in func(unit string) bool) (*Board, error) {
	if len(today) < len("2006-01") {
		return nil, fmt.Errorf("stats board: today %q is not a day", today)
	}
	year, err := period.Parse(today[:4])
	if err != nil {
		return nil, fmt.Errorf("stats board: %w", err)
	}
	e, err := newEnv(ctx, st, Query{Period: year, Public: true, Today: today})
	if err != nil {
		return nil, err
	}
	b := &Board{}
	if _, err := fmt.Sscan(today[:4], &b.Year); err != nil {
		return nil, fmt.Errorf("stats board: today %q is not a day", today)
	}
	for _, m := range year.Months() {
		if m <= today[:7] {
			b.Months = append(b.Months, m)
		}
	}
	// The board has no reader to scope by: everyone may read it. Public alone decides what
	// is left out, as storage.FactFilter says for a nil Viewer.
	t := e.newTally()
	perUnit := map[string]map[string]int{} // unit → month → opinions
	err = st.EachFact(ctx, storage.FactFilter{From: year.From, To: year.To, Public: true}, func(f *storage.Fact) error {
		if !in(f.UnitCode) {
			return nil
		}
		if perUnit[f.UnitCode] == nil {
			perUnit[f.UnitCode] = map[string]int{}
		}
		perUnit[f.UnitCode][f.CreatedOn[:7]]++
		return t.add(f)
	})
	if err != nil {
		return nil, fmt.Errorf("stats board %s: %w", year, err)
	}
	b.Figures = t.figures()
	b.Figures.Period = year
	b.Figures.Omitted = e.omitted()
	if b.Units, err = boardUnits(ctx, st, e, perUnit, b.Months, in); err != nil {
		return nil, err
	}
	b.Families, err = boardFamilies(ctx, st, t.tag)
	return b, err
}

// boardUnits lays out the table's rows: the units in service, then the others counted.
func boardUnits(ctx context.Context, st *storage.Store, e *env, perUnit map[string]map[string]int, months []string,
	in func(string) bool) ([]BoardUnit, error) {
	units, err := st.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("stats board: %w", err)
	}
	row := func(code, name string) BoardUnit {
		u := BoardUnit{Code: code, Name: name}
		for _, m := range months {
			u.Months = append(u.Months, Count{Code: m, N: perUnit[code][m]})
		}
		return u
	}
	var out []BoardUnit
	listed := map[string]bool{}
	for _, u := range units {
		if in(u.Code) {
			out, listed[u.Code] = append(out, row(u.Code, u.Name)), true
		}
	}
	var others []BoardUnit
	for code := range perUnit {
		if listed[code] {
			continue
		}
		name := code
		if i, ok := e.unitIndex[code]; ok {
			name = e.units[i].Name
		}
		others = append(others, row(code, name))
	}
	sort.Slice(others, func(i, j int) bool {
		if others[i].Name != others[j].Name {
			return others[i].Name < others[j].Name
		}
		return others[i].Code < others[j].Code
	})
	return append(out, others...), nil
}

// boardFamilies lists the families the board may count, with the tally's counts.
func boardFamilies(ctx context.Context, st *storage.Store, counted map[string]int) ([]storage.FamilyCount, error) {
	tags, err := st.Tags(ctx)
	if err != nil {
		return nil, fmt.Errorf("stats board: %w", err)
	}
	var out []storage.FamilyCount
	for _, g := range tags {
		if g.Kind != storage.TagFamily || slices.Contains(storage.BoardWithheldFamilies, g.Code) {
			continue
		}
		if n := counted[g.Code]; !g.Retired() || n > 0 {
			out = append(out, storage.FamilyCount{Tag: g, N: n})
		}
	}
	return out, nil
}
