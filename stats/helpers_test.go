package stats

import (
	"context"
	"testing"
	"time"

	"minsheng/internal/pgtest"
	"minsheng/internal/storetest"
	"minsheng/internal/testkit"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// The figures are computed on both engines (storetest.ForEachEngine): the test binary's
// PostgreSQL cluster is stopped when its tests are done.
func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a real database file and the clock its store reads, which tests move to date what
// they create.
type world struct {
	t     *testing.T
	st    *storage.Store
	clock *testkit.Clock
}

func newWorld(t *testing.T, e storetest.Engine) *world {
	t.Helper()
	st, clock := storetest.OpenOn(t, e, time.Date(2026, 1, 1, 4, 0, 0, 0, time.UTC))
	return &world{t: t, st: st, clock: clock}
}

// on sets the clock to noon of day (YYYY-MM-DD) in China: what happens next happens that day.
func (w *world) on(day string) *world {
	storetest.SetDay(w.t, w.clock, day)
	return w
}

// opinion stores n, blank fields filled with ordinary values, on the clock's day.
func (w *world) opinion(n storage.NewOpinion) string {
	w.t.Helper()
	return storetest.Opinion(w.t, w.st, n)
}

// work is how a test wants an opinion's rectification to be.
type work struct {
	unit, ledger, deadline, kind string
}

// walk moves opinion id along the main road from where it is to status, through each step with what it needs:
// the lead unit, ledger and deadline of w at 交办, the kind at 整改中.
func (w *world) walk(id, status string, wk work) {
	w.t.Helper()
	o, err := w.st.Opinion(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	path := lifecycle.PathTo(status)
	for i, st := range path { // start after where it is
		if st == o.Status {
			path = path[i+1:]
			break
		}
	}
	for _, to := range path {
		w.step(id, lifecycle.Step{To: to, LeadUnit: wk.unit, Responsible: "科主任", Measures: "增开窗口", Ledger: wk.ledger,
			Deadline: wk.deadline, Kind: wk.kind, Explanation: "需要新建楼房", Report: "已整改", Note: "已转交"})
	}
}

// step takes one step, failing the test if storage refuses it.
func (w *world) step(id string, s lifecycle.Step) {
	w.t.Helper()
	if err := w.st.Transition(context.Background(), 0, id, s); err != nil {
		w.t.Fatalf("%s → %s: %v", id, s.To, err)
	}
}

// rate gives the submitter's answer on the clock's day.
func (w *world) rate(id, rating string) {
	w.t.Helper()
	if err := w.st.Rate(context.Background(), id, rating, ""); err != nil {
		w.t.Fatalf("Rate(%s, %s): %v", id, rating, err)
	}
}
