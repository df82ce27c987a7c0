package stats

import (
	"context"

	"minsheng/storage"
)

// Counter counts opinions handed to it one at a time, with the tally Compute uses: a writer
// that streams rows it has already read (the export's counts sheet) counts them by the same
// definitions without reading them twice. It keeps what Compute's tally keeps, so its memory
// does not grow with the rows.
type Counter struct {
	t *tally
}

// NewCounter starts a count for q's reader (Viewer decides whether 举报 figures are kept;
// Today what is overdue). With a store, units are named and ordered as in the unit tree and
// tags in the taxonomy's order; with st nil (a file written without a database, in tests) by
// code. q.Period is not used: the caller chooses the rows.
func NewCounter(ctx context.Context, st *storage.Store, q Query) (*Counter, error) {
	e := &env{q: q, unitIndex: map[string]int{}}
	if st != nil {
		var err error
		if e, err = newEnv(ctx, st, q); err != nil {
			return nil, err
		}
	}
	return &Counter{t: e.newTally()}, nil
}

// Add counts one opinion.
func (c *Counter) Add(f *storage.Fact) error { return c.t.add(f) }

// Figures are the counts so far, without the ratings and the trend, which are not rows of
// opinions. Figures.ByUnit names a unit the tree does not know by its code.
func (c *Counter) Figures() *Figures {
	f := c.t.figures()
	f.Omitted = c.t.e.omitted()
	return f
}

// Problems is how many problems (问题) the opinions counted belong to, and how many of those
// opinions are in one: a problem counts once however many of its opinions were counted.
func (c *Counter) Problems() (problems, opinions int) {
	for _, p := range c.t.problems {
		problems, opinions = problems+1, opinions+p.N
	}
	return problems, opinions
}
