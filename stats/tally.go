package stats

import (
	"sort"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
	"minsheng/vocab"
)

// tally is one pass over a period's facts. Each map is keyed by a code of a small vocabulary,
// a unit, a (unit, 科室) or a problem: none grows with the number of opinions, and the lists
// of items are bounded (keepBest).
type tally struct {
	e                              *env
	total, untagged                int
	channel, typ, submitter, style map[string]int
	tag, status, level             map[string]int
	units                          map[string]*UnitFigures
	depts                          map[deptKey]int
	problems                       map[string]*ProblemCount
	rect                           Rectification
	ledger, kind                   map[string]int
	overdue                        *keepBest[Late]
	lagging                        *keepBest[Lagging]
	reports                        Reports
	unitStyle                      map[string]map[string]int
}

type deptKey struct{ unit, dept string }

func (e *env) newTally() *tally {
	m := func() map[string]int { return map[string]int{} }
	t := &tally{e: e, channel: m(), typ: m(), submitter: m(), style: m(), tag: m(), status: m(), level: m(),
		units: map[string]*UnitFigures{}, depts: map[deptKey]int{}, problems: map[string]*ProblemCount{},
		ledger: m(), kind: m(), unitStyle: map[string]map[string]int{}}
	t.overdue = newKeepBest(MaxListed, func(a, b Late) bool {
		if a.Days != b.Days {
			return a.Days > b.Days
		}
		return a.ID < b.ID
	})
	t.lagging = newKeepBest(MaxListed, func(a, b Lagging) bool {
		if ia, ib := e.unitPlace(a.Unit), e.unitPlace(b.Unit); ia != ib {
			return ia < ib
		}
		return a.ID < b.ID
	})
	return t
}

// unitPlace is a unit's place in tree order; unknown units after all known ones.
func (e *env) unitPlace(code string) int {
	if i, ok := e.unitIndex[code]; ok {
		return i
	}
	return len(e.units)
}

// done reports whether work in status has been reported done or gone further.
func done(status string) bool {
	switch status {
	case lifecycle.Reported, lifecycle.LookBack, lifecycle.Satisfaction, lifecycle.Closed:
		return true
	}
	return false
}

// add counts one opinion. It never keeps f, which EachFact refills.
func (t *tally) add(f *storage.Fact) error {
	t.total++
	t.channel[f.Channel]++
	t.typ[f.Type]++
	t.submitter[f.Submitter]++
	t.status[f.Status]++
	if f.Level != "" {
		t.level[f.Level]++
	}
	u := t.units[f.UnitCode]
	if u == nil {
		u = &UnitFigures{Code: f.UnitCode}
		t.units[f.UnitCode] = u
		t.unitStyle[f.UnitCode] = map[string]int{}
	}
	u.Total++
	if len(f.Styles) == 0 {
		t.untagged++
		u.Untagged++
	}
	for _, s := range f.Styles {
		t.style[s]++
		t.unitStyle[f.UnitCode][s]++
	}
	for _, g := range f.Tags {
		t.tag[g]++
	}
	if f.Dept != "" {
		t.depts[deptKey{f.UnitCode, f.Dept}]++
	}
	if f.ProblemID != "" {
		p := t.problems[f.ProblemID]
		if p == nil {
			p = &ProblemCount{ID: f.ProblemID, Title: f.ProblemTitle}
			t.problems[f.ProblemID] = p
		}
		p.N++
	}
	overdue := false
	if lifecycle.Open(f.Status) && f.Deadline != "" && t.e.hasToday {
		if days, ok := daysBetween(f.Deadline, t.e.today); ok && days > 0 {
			overdue = true
			t.rect.OverdueCount++
			t.overdue.offer(Late{ID: f.ID, Unit: f.LeadUnit, Deadline: f.Deadline, Days: days})
		}
	}
	if lifecycle.Open(f.Status) {
		u.Open++
		if overdue {
			u.Overdue++
		}
	}
	t.addRectification(f)
	if f.Type == access.ReportType || f.DisciplineMailbox {
		t.addReport(f)
	}
	return nil
}

// addRectification counts the opinions that reached 整改: a lead unit was named (交办), and
// the opinion carries its own work (a member of a problem follows its carrier's).
func (t *tally) addRectification(f *storage.Fact) {
	switch f.Checked {
	case lifecycle.CheckPassed:
		t.rect.LookBack.Passed++
	case lifecycle.CheckFailed:
		t.rect.LookBack.Failed++
		t.lagging.offer(Lagging{ID: f.ID, Unit: f.LeadUnit, Cause: f.Note})
	}
	if f.LeadUnit == "" || f.Status == lifecycle.Duplicate {
		return
	}
	r := &t.rect
	r.Assigned++
	if f.Ledger != "" {
		t.ledger[f.Ledger]++
	}
	if f.Kind != "" {
		t.kind[f.Kind]++
	}
	switch {
	case f.Status == lifecycle.Closed:
		r.Closed++
		r.Done++
	case done(f.Status):
		r.Done++
	case f.Status == lifecycle.Assigned || f.Status == lifecycle.Rectifying:
		r.Open++
	}
	switch f.Kind {
	case lifecycle.KindPlanned:
		r.Deferred++
	case lifecycle.KindReferred:
		r.Referred++
	}
}

// addReport counts what only 纪检 handles: 举报 and letters to a discipline mailbox.
func (t *tally) addReport(f *storage.Fact) {
	r := &t.reports
	r.Received++
	if f.Status == lifecycle.Closed || f.Status == lifecycle.Rejected {
		r.Closed++
	}
	if f.Substantiated {
		r.Substantiated++
	}
	if f.Unfounded {
		r.Unfounded++
	}
	if f.Accountability {
		r.Accountability++
	}
}

// figures turns the tally into Figures (without the period, satisfaction and trend).
func (t *tally) figures() *Figures {
	e := t.e
	f := &Figures{Total: t.total, Untagged: t.untagged}
	f.ByChannel = ordered(termCodes(vocab.Channels), t.channel)
	types := termCodes(vocab.Types)
	if !e.seesReports() {
		types = without(types, access.ReportType)
	}
	f.ByType = ordered(types, t.typ)
	f.BySubmitter = ordered(termCodes(vocab.Submitters), t.submitter)
	f.ByStyle = ordered(styleCodes, t.style)
	f.ByStatus = ordered(statusCodes, t.status)
	f.ByLevel = ordered(termCodes(lifecycle.Levels), t.level)
	for _, c := range ordered(e.tags, t.tag) {
		if c.N > 0 {
			f.ByTag = append(f.ByTag, c)
		}
	}
	f.ByUnit = t.byUnit()
	f.TopDepts = t.topDepts()
	f.Problems = t.topProblems()
	t.rect.ByLedger = ordered(termCodes(lifecycle.Ledgers), t.ledger)
	t.rect.ByKind = ordered(termCodes(lifecycle.Kinds), t.kind)
	t.rect.Overdue = t.overdue.sorted()
	t.rect.LookBack.Lagging = t.lagging.sorted()
	f.Rectification = t.rect
	if e.seesReports() {
		r := t.reports
		f.Reports = &r
	}
	return f
}

func without(codes []string, drop string) []string {
	var out []string
	for _, c := range codes {
		if c != drop {
			out = append(out, c)
		}
	}
	return out
}

// byUnit lists the units with opinions in tree order, with their names.
func (t *tally) byUnit() []UnitFigures {
	out := make([]UnitFigures, 0, len(t.units))
	for code, u := range t.units {
		u.ByStyle = ordered(styleCodes, t.unitStyle[code])
		if i, ok := t.e.unitIndex[code]; ok {
			u.Name = t.e.units[i].Name
		} else {
			u.Name = code
		}
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool {
		if pi, pj := t.e.unitPlace(out[i].Code), t.e.unitPlace(out[j].Code); pi != pj {
			return pi < pj
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// topDepts lists the MaxTop 科室 named most often, most first; ties in tree order, then by name.
func (t *tally) topDepts() []DeptCount {
	out := make([]DeptCount, 0, len(t.depts))
	for k, n := range t.depts {
		out = append(out, DeptCount{Unit: k.unit, Dept: k.dept, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.N != b.N {
			return a.N > b.N
		}
		if pa, pb := t.e.unitPlace(a.Unit), t.e.unitPlace(b.Unit); pa != pb {
			return pa < pb
		}
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		return a.Dept < b.Dept
	})
	if len(out) > MaxTop {
		out = out[:MaxTop]
	}
	return out
}

// topProblems lists the MaxTop problems with two or more of the period's opinions, most first.
func (t *tally) topProblems() []ProblemCount {
	var out []ProblemCount
	for _, p := range t.problems {
		if p.N >= 2 {
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > MaxTop {
		out = out[:MaxTop]
	}
	return out
}

// keepBest keeps the n best items offered (best by less), in bounded memory.
type keepBest[T any] struct {
	n     int
	less  func(a, b T) bool
	items []T
}

func newKeepBest[T any](n int, less func(a, b T) bool) *keepBest[T] {
	return &keepBest[T]{n: n, less: less}
}

// offer keeps x if it is among the n best so far.
func (k *keepBest[T]) offer(x T) {
	if len(k.items) < k.n {
		k.items = append(k.items, x)
		return
	}
	worst := 0
	for i := range k.items {
		if k.less(k.items[worst], k.items[i]) {
			worst = i
		}
	}
	if k.less(x, k.items[worst]) {
		k.items[worst] = x
	}
}

// sorted returns the kept items, best first.
func (k *keepBest[T]) sorted() []T {
	out := append([]T(nil), k.items...)
	sort.Slice(out, func(i, j int) bool { return k.less(out[i], out[j]) })
	return out
}
