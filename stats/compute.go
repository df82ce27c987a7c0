package stats

import (
	"context"
	"fmt"
	"sort"
	"time"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

// MaxListed is the most lines a list of items (overdue rectifications, lagging look-backs)
// holds: the longest overdue first. The counts beside them (Rectification.OverdueCount,
// LookBack.Failed, UnitFigures.Overdue) count every one. Keeping a bounded list is what lets a
// month of 100 000 opinions be counted in the memory of a month of 1 000.
const MaxListed = 20

// MaxTop is the length of the lists of most-named 科室 and most-raised problems.
const MaxTop = 10

// Compute counts the opinions of q.Period that q's reader may see, streaming them once from
// storage (EachFact, a few spans of days at once: parallel.go), then the ratings given in the
// period (EachRating) and the 12-month trend (MonthCounts). Memory does not grow with the
// number of opinions: only per-unit, per-科室 and per-problem tallies and bounded lists are kept.
func Compute(ctx context.Context, st *storage.Store, q Query) (*Figures, error) {
	env, err := newEnv(ctx, st, q)
	if err != nil {
		return nil, err
	}
	t, err := env.count(ctx, []period.Period{q.Period})
	if err != nil {
		return nil, err
	}
	return env.finish(ctx, q.Period, t[0], true)
}

// Compare computes the period's figures and those of the period before (环比) and of the same
// period a year earlier (同比), with the same query otherwise. Only Current has a Trend: its
// 12 months already hold the months the other two would chart, and a report draws one trend.
func Compare(ctx context.Context, st *storage.Store, q Query) (*Comparison, error) {
	env, err := newEnv(ctx, st, q)
	if err != nil {
		return nil, err
	}
	periods := []period.Period{q.Period, q.Period.Previous(), q.Period.YearBefore()}
	t, err := env.count(ctx, periods)
	if err != nil {
		return nil, err
	}
	var c Comparison
	if c.Current, err = env.finish(ctx, periods[0], t[0], true); err != nil {
		return nil, err
	}
	if c.Previous, err = env.finish(ctx, periods[1], t[1], false); err != nil {
		return nil, err
	}
	if c.LastYear, err = env.finish(ctx, periods[2], t[2], false); err != nil {
		return nil, err
	}
	return &c, nil
}

// env is what every period of one query shares: the store, the query, the unit tree, the
// taxonomy's order.
type env struct {
	st        *storage.Store
	q         Query
	units     []storage.UnitNode
	unitIndex map[string]int // code → place in tree order
	tags      []string       // taxonomy order
	today     time.Time
	hasToday  bool
}

func newEnv(ctx context.Context, st *storage.Store, q Query) (*env, error) {
	units, err := st.AllUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	e := &env{st: st, q: q, units: units, unitIndex: make(map[string]int, len(units))}
	for i, u := range units {
		e.unitIndex[u.Code] = i
	}
	for _, t := range tags {
		e.tags = append(e.tags, t.Code)
	}
	if t, err := time.Parse(dayLayout, q.Today); err == nil {
		e.today, e.hasToday = t, true
	}
	return e, nil
}

const dayLayout = "2006-01-02"

// filter is the storage filter of the query over [from, to). The public's counts follow the
// public rule alone, whoever asks (Query.Public), as the notice board always has.
func (e *env) filter(from, to string) storage.FactFilter {
	f := storage.FactFilter{From: from, To: to, Unit: e.q.Unit, Public: e.q.Public, Campaign: e.q.Campaign, Phase: e.q.Phase}
	if !e.q.Public {
		v := e.q.Viewer
		f.Viewer = &v
	}
	return f
}

// seesReports reports whether the figures count 举报: only 纪检's, and never the public's.
func (e *env) seesReports() bool { return e.q.Viewer.Role == access.Discipline && !e.q.Public }

// finish makes the figures of period p from its tally, with the ratings given in p and, when
// asked, the trend.
func (e *env) finish(ctx context.Context, p period.Period, t *tally, withTrend bool) (*Figures, error) {
	f := t.figures()
	f.Period, f.Unit = p, e.q.Unit
	f.Omitted = e.omitted()
	var err error
	if f.Satisfaction, err = e.satisfaction(ctx, p); err != nil {
		return nil, err
	}
	if f.Conversation, err = e.conversation(ctx, p); err != nil {
		return nil, err
	}
	if f.Symposia, err = e.symposia(ctx, p); err != nil {
		return nil, err
	}
	if f.Accountability, err = e.accountability(ctx, p); err != nil {
		return nil, err
	}
	if withTrend {
		if f.Trend, err = e.trend(ctx, p); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// accountability counts the decisions of p by measure for a reader of accountability records
// (nil for others): by the day decided, about the query's unit; a campaign's query counts the
// decisions of its dates.
func (e *env) accountability(ctx context.Context, p period.Period) ([]Count, error) {
	if e.q.Public || !e.q.Viewer.Can(access.Accountability) {
		return nil, nil
	}
	counts, err := e.st.AccountabilityCounts(ctx, p.From, p.To, e.q.Unit, e.q.Viewer.Role == access.Discipline)
	if err != nil {
		return nil, fmt.Errorf("stats accountability %s: %w", p, err)
	}
	out := make([]Count, len(vocab.Measures))
	for i, m := range vocab.Measures {
		out[i] = Count{Code: m.Code, N: counts[m.Code]}
	}
	return out, nil
}

// omitted says what the reader's scope leaves out, in the query's language.
func (e *env) omitted() string {
	p := e.q.Printer
	if p == nil {
		p = locale.Get(locale.Default)
	}
	if e.q.Public {
		return p.T("stats.omitted_public")
	}
	return e.q.Viewer.OmittedIn(p)
}

// trend is the count per month of the 12 months ending with p's last month, zeros included.
func (e *env) trend(ctx context.Context, p period.Period) ([]Count, error) {
	span := p.TrailingMonths(12)
	got, err := e.st.MonthCounts(ctx, e.filter(span.From, span.To))
	if err != nil {
		return nil, fmt.Errorf("stats trend %s: %w", p, err)
	}
	n := make(map[string]int, len(got))
	for _, m := range got {
		n[m.Month] = m.N
	}
	var out []Count
	for _, m := range span.Months() {
		out = append(out, Count{Code: m, N: n[m]})
	}
	return out, nil
}

// daysBetween is the number of calendar days from day a (YYYY-MM-DD) to b; ok false when a is
// not a day.
func daysBetween(a string, b time.Time) (int, bool) {
	t, err := time.Parse(dayLayout, a)
	if err != nil {
		return 0, false
	}
	return int(b.Sub(t).Hours()/24 + 0.5), true
}

// ordered lists terms' codes with their counts, zeros included, in the terms' order; codes
// counted that the list lacks follow, by code, so that nothing counted is lost.
func ordered(codes []string, n map[string]int) []Count {
	out := make([]Count, 0, len(codes))
	known := make(map[string]bool, len(codes))
	for _, c := range codes {
		out, known[c] = append(out, Count{Code: c, N: n[c]}), true
	}
	var extra []string
	for c := range n {
		if !known[c] {
			extra = append(extra, c)
		}
	}
	sort.Strings(extra)
	for _, c := range extra {
		out = append(out, Count{Code: c, N: n[c]})
	}
	return out
}

func termCodes(terms []vocab.Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Code
	}
	return out
}

var (
	styleCodes = func() []string {
		c := make([]string, len(sifeng.Styles))
		for i, s := range sifeng.Styles {
			c[i] = s.Code
		}
		return c
	}()
	statusCodes = func() []string {
		c := make([]string, len(lifecycle.Statuses))
		for i, s := range lifecycle.Statuses {
			c[i] = s.Code
		}
		return c
	}()
)
