package stats

import (
	"context"
	"errors"
	"slices"
	"sort"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/period"
	"minsheng/sifeng"
	"minsheng/storage"
)

// DashboardMonths is how many months a unit's dashboard looks back: the trend, the totals, the
// open and overdue work and the satisfaction count the opinions of these months.
const DashboardMonths = 12

// DashboardQuery is what a unit's dashboard (单位看板, the leaders' 联系点 view) counts: the
// opinions about Unit itself received in the DashboardMonths months ending with Month, as
// Viewer may open them; with Dept, only those naming that 科室 (a 科室's dashboard).
type DashboardQuery struct {
	Unit   string
	Dept   string
	Month  string // YYYY-MM: the month of the warnings and the 科室 ranking, the last of the trend
	Viewer access.Viewer
	Today  string // YYYY-MM-DD: what is overdue
}

// Dashboard is one unit's figures.
type Dashboard struct {
	Unit  string        `json:"unit"`
	Dept  string        `json:"dept,omitempty"`
	Month string        `json:"month"`
	Span  period.Period `json:"span"` // the DashboardMonths months ending with Month

	Trend   []Count `json:"trend"` // per month of Span, oldest first
	Total   int     `json:"total"`
	ByStyle []Count `json:"by_style"` // sifeng.Styles order, zeros included
	// Open and Overdue are the rectifications of Span's opinions still open on Today, and those
	// of them past their deadline.
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
	// Satisfaction counts the ratings given in Span (by the day given); Code is the unit.
	Satisfaction UnitSatisfaction `json:"satisfaction"`
	Depts        []DeptLine       `json:"depts"`    // most opinions first; the unnamed 科室 ("") last
	Warnings     []Warning        `json:"warnings"` // furthest over the usual level first
	Ranking      []DeptRank       `json:"ranking"`  // Month's 科室 ranking; none on a 科室's dashboard
}

// DeptLine is one 科室 (as written on the form; "" when none was) over the dashboard's Span.
type DeptLine struct {
	Dept         string           `json:"dept"`
	Total        int              `json:"total"`
	Month        int              `json:"month"` // received in the dashboard's Month
	Open         int              `json:"open"`
	Overdue      int              `json:"overdue"`
	Satisfaction UnitSatisfaction `json:"satisfaction"` // Code is the 科室
}

// Warning kinds: what the problems have in common.
const (
	KindStyle         = "style"         // a sifeng style
	KindManifestation = "manifestation" // a manifestation tag of the taxonomy
)

// Warning is one hot spot (预警): in the month, N problems of one kind (Kind, Code) about the
// whole unit, or about one of its 科室, over the usual level of the months before (Level).
type Warning struct {
	WholeUnit bool    `json:"whole_unit"`
	Dept      string  `json:"dept,omitempty"`
	Kind      string  `json:"kind"`
	Code      string  `json:"code"`
	N         int     `json:"n"`
	History   []int   `json:"history"` // the WarnMonths months before, oldest first
	Mean      float64 `json:"mean"`
	SD        float64 `json:"sd"`
	Limit     float64 `json:"limit"` // Mean + WarnSigmas × SD: N is over it
}

// DeptRank is a 科室's line in the month's ranking (科室排名, 优质服务评比): its satisfaction, the
// praise (type praise) and the complaints (type complaint) received. 举报 are never counted.
type DeptRank struct {
	Rank         int              `json:"rank"`
	Dept         string           `json:"dept"`
	Satisfaction UnitSatisfaction `json:"satisfaction"`
	Praise       int              `json:"praise"`
	Complaints   int              `json:"complaints"`
}

// ErrNotMonth is returned for a DashboardQuery whose Month is not a month.
var ErrNotMonth = errors.New("stats: the dashboard's month is YYYY-MM")

// seriesKey is one kind of problem in one place: the whole unit, or a 科室.
type seriesKey struct {
	whole      bool
	dept       string
	kind, code string
}

// dashTally is the dashboard being counted.
type dashTally struct {
	d      *Dashboard
	month  map[string]int // month → index in Span
	last   int            // index of the dashboard's month
	depts  map[string]*DeptLine
	ranks  map[string]*DeptRank
	series map[seriesKey][]int // per month of Span
	today  string
}

// BuildDashboard counts one unit's dashboard.
func BuildDashboard(ctx context.Context, st *storage.Store, q DashboardQuery) (*Dashboard, error) {
	p, err := period.Parse(q.Month)
	if err != nil || p.Kind != period.Month {
		return nil, ErrNotMonth
	}
	span := p.TrailingMonths(DashboardMonths)
	t := newDashTally(q, span)
	f := storage.DashboardFilter{Unit: q.Unit, Dept: q.Dept, From: span.From, To: span.To, Viewer: q.Viewer}
	if err := st.EachDashboardItem(ctx, f, t.item); err != nil {
		return nil, err
	}
	if err := st.EachDashboardRating(ctx, f, t.rating); err != nil {
		return nil, err
	}
	return t.finish(), nil
}

func newDashTally(q DashboardQuery, span period.Period) *dashTally {
	months := span.Months()
	d := &Dashboard{Unit: q.Unit, Dept: q.Dept, Month: q.Month, Span: span, Satisfaction: UnitSatisfaction{Code: q.Unit}}
	t := &dashTally{d: d, month: map[string]int{}, last: len(months) - 1, depts: map[string]*DeptLine{},
		ranks: map[string]*DeptRank{}, series: map[seriesKey][]int{}, today: q.Today}
	for i, m := range months {
		t.month[m] = i
		d.Trend = append(d.Trend, Count{Code: m})
	}
	for _, s := range sifeng.Styles {
		d.ByStyle = append(d.ByStyle, Count{Code: s.Code})
	}
	return t
}

// item counts one opinion.
func (t *dashTally) item(it *storage.DashboardItem) error {
	m, ok := t.month[it.CreatedOn[:7]]
	if !ok {
		return nil
	}
	d, line := t.d, t.dept(it.Dept)
	d.Trend[m].N++
	d.Total++
	line.Total++
	if (access.Facts{Status: it.Status, Deadline: it.Deadline}).Overdue(t.today) {
		d.Overdue++
		line.Overdue++
	}
	if lifecycle.Open(it.Status) {
		d.Open++
		line.Open++
	}
	for _, s := range it.Styles {
		for i := range d.ByStyle {
			if d.ByStyle[i].Code == s {
				d.ByStyle[i].N++
			}
		}
		t.count(it.Dept, KindStyle, s, m)
	}
	for _, tag := range it.Manifestations {
		t.count(it.Dept, KindManifestation, tag, m)
	}
	if m == t.last {
		line.Month++
		if it.Dept != "" && (it.Type == typePraise || it.Type == typeComplaint) {
			r := t.rank(it.Dept)
			if it.Type == typePraise {
				r.Praise++
			} else {
				r.Complaints++
			}
		}
	}
	return nil
}

// The opinion types the ranking counts (vocab.Types codes).
const (
	typePraise    = "praise"
	typeComplaint = "complaint"
)

// count adds one problem of a kind in month m, to the whole unit and to its 科室 if it has one.
func (t *dashTally) count(dept, kind, code string, m int) {
	var keys []seriesKey
	if t.d.Dept == "" { // a 科室's dashboard warns of the 科室, not again of the whole unit
		keys = append(keys, seriesKey{whole: true, kind: kind, code: code})
	}
	if dept != "" {
		keys = append(keys, seriesKey{dept: dept, kind: kind, code: code})
	}
	for _, k := range keys {
		s := t.series[k]
		if s == nil {
			s = make([]int, len(t.d.Trend))
			t.series[k] = s
		}
		s[m]++
	}
}

// rating counts one rating.
func (t *dashTally) rating(g storage.DashboardRating) error {
	m, ok := t.month[g.RatedOn[:7]]
	if !ok {
		return nil
	}
	addRating(&t.d.Satisfaction, g.Rating)
	addRating(&t.dept(g.Dept).Satisfaction, g.Rating)
	if m == t.last && g.Dept != "" {
		addRating(&t.rank(g.Dept).Satisfaction, g.Rating)
	}
	return nil
}

func addRating(u *UnitSatisfaction, rating string) {
	switch rating {
	case "satisfied":
		u.Satisfied++
	case "basically":
		u.Basically++
	case "dissatisfied":
		u.Dissatisfied++
	}
}

func (t *dashTally) dept(name string) *DeptLine {
	l := t.depts[name]
	if l == nil {
		l = &DeptLine{Dept: name, Satisfaction: UnitSatisfaction{Code: name}}
		t.depts[name] = l
	}
	return l
}

func (t *dashTally) rank(name string) *DeptRank {
	r := t.ranks[name]
	if r == nil {
		r = &DeptRank{Dept: name, Satisfaction: UnitSatisfaction{Code: name}}
		t.ranks[name] = r
	}
	return r
}

// finish orders the lines, finds the warnings and ranks the 科室.
func (t *dashTally) finish() *Dashboard {
	d := t.d
	for _, l := range t.depts {
		d.Depts = append(d.Depts, *l)
	}
	sort.Slice(d.Depts, func(i, j int) bool {
		a, b := d.Depts[i], d.Depts[j]
		if (a.Dept == "") != (b.Dept == "") {
			return b.Dept == ""
		}
		if a.Total != b.Total {
			return a.Total > b.Total
		}
		return a.Dept < b.Dept
	})
	for k, s := range t.series {
		n, history := s[t.last], s[max(0, t.last-WarnMonths):t.last]
		if !Hot(n, history) {
			continue
		}
		mean, sd, limit := Level(history)
		d.Warnings = append(d.Warnings, Warning{WholeUnit: k.whole, Dept: k.dept, Kind: k.kind, Code: k.code, N: n,
			History: append([]int(nil), history...), Mean: mean, SD: sd, Limit: limit})
	}
	sort.Slice(d.Warnings, func(i, j int) bool {
		a, b := d.Warnings[i], d.Warnings[j]
		if oa, ob := float64(a.N)-a.Limit, float64(b.N)-b.Limit; oa != ob {
			return oa > ob
		}
		if a.WholeUnit != b.WholeUnit {
			return a.WholeUnit
		}
		return a.Dept+a.Kind+a.Code < b.Dept+b.Kind+b.Code
	})
	for _, r := range t.ranks {
		if d.Dept == "" { // a ranking of 科室 is the unit's, not one 科室's
			d.Ranking = append(d.Ranking, *r)
		}
	}
	sort.Slice(d.Ranking, func(i, j int) bool { return ranksBefore(d.Ranking[i], d.Ranking[j]) })
	for i := range d.Ranking {
		d.Ranking[i].Rank = i + 1
	}
	return d
}

// ranksBefore is the ranking's order: the 科室 with a rate (MinRatings ratings or more) by
// their rate, highest first, then those without one; within either, more praise first, then
// fewer complaints, then by name.
func ranksBefore(a, b DeptRank) bool {
	ra, okA := a.Satisfaction.Rate()
	rb, okB := b.Satisfaction.Rate()
	switch {
	case okA != okB:
		return okA
	case okA && ra != rb:
		return ra > rb
	case a.Praise != b.Praise:
		return a.Praise > b.Praise
	case a.Complaints != b.Complaints:
		return a.Complaints < b.Complaints
	}
	return a.Dept < b.Dept
}

// MayOpenDashboard reports whether v may open unit's dashboard. The office (administrators,
// reviewers, the supervision group) and 纪检 choose any unit: each counts there what it may open
// (纪检 its 举报 alone). A leader opens the linked units (联系点), a liaison its own unit,
// nobody else's: a dashboard's figures are about a unit even where its lines name no opinion.
func MayOpenDashboard(v access.Viewer, unit string) bool {
	if !v.InBranch(unit) {
		return false // a branch administrator (#15): the branch's units only
	}
	switch v.Role {
	case access.Admin, access.Reviewer, access.Supervisor, access.Discipline:
		return true
	case access.Leader:
		return slices.Contains(v.Linked, unit)
	case access.Liaison, access.UnitHead: // a unit head (第一责任人) too, for their own unit
		return v.Unit != "" && v.Unit == unit
	}
	return false
}

// MaySeeRanking reports whether v is shown the 科室 ranking of the dashboards it may open: the
// ranking (优质服务评比, used for 评先评优) is for the office, for a leader on the linked units and
// for a liaison on its own unit, to act on. Not for 纪检: its scope holds 举报 alone, which has
// neither praise nor complaints to rank by and is never counted in a ranking.
func MaySeeRanking(v access.Viewer) bool {
	switch v.Role {
	case access.Admin, access.Reviewer, access.Supervisor, access.Leader, access.Liaison, access.UnitHead:
		return true
	}
	return false
}
