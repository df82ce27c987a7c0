package stats

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"minsheng/period"
)

// defaultChunkDays is the span of one query over the facts. Periods are cut into chunks so
// that a month, or a month and the two it is compared with, is read by several connections at
// once: reading the rows is nearly all of a report's time (one random page per opinion, the
// table being ordered by random id), and each chunk keeps its own tally until they are added
// up. A Query's chunkDays overrides it (the tests cut a month into days); a field, not a
// package variable, so that tests running in parallel cannot change each other's span.
const defaultChunkDays = 16

// workers is how many chunks are read at once: one per processor, at most two, so that a
// report leaves half of the store's four read connections to the pages served meanwhile.
func workers() int { return max(1, min(runtime.GOMAXPROCS(0), 2)) }

// chunk is a part [from, to) of period number i.
type chunk struct {
	i        int
	from, to string
}

// chunks cuts each period into spans of at most chunkDays days.
func chunks(periods []period.Period, chunkDays int) []chunk {
	if chunkDays <= 0 {
		chunkDays = defaultChunkDays
	}
	var out []chunk
	for i, p := range periods {
		from, err := time.Parse(dayLayout, p.From)
		if err != nil {
			out = append(out, chunk{i, p.From, p.To})
			continue
		}
		for day := from; day.Format(dayLayout) < p.To; day = day.AddDate(0, 0, chunkDays) {
			to := day.AddDate(0, 0, chunkDays).Format(dayLayout)
			out = append(out, chunk{i, day.Format(dayLayout), min(to, p.To)})
		}
	}
	return out
}

// count tallies the facts of each period, reading chunks on several connections at once.
func (e *env) count(ctx context.Context, periods []period.Period) ([]*tally, error) {
	parts := chunks(periods, e.q.chunkDays)
	done := make([]*tally, len(parts))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				t := e.newTally()
				if err := e.st.EachFact(ctx, e.filter(parts[k].from, parts[k].to), t.add); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("stats %s..%s: %w", parts[k].from, parts[k].to, err)
					}
					mu.Unlock()
					cancel()
					continue
				}
				done[k] = t
			}
		}()
	}
feed:
	for k := range parts {
		select {
		case jobs <- k:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]*tally, len(periods))
	for i := range out {
		out[i] = e.newTally()
	}
	for k, t := range done {
		out[parts[k].i].merge(t)
	}
	return out, nil
}

// merge adds the tally o (of another chunk) to t.
func (t *tally) merge(o *tally) {
	t.total += o.total
	t.untagged += o.untagged
	for _, m := range [][2]map[string]int{{t.channel, o.channel}, {t.typ, o.typ}, {t.submitter, o.submitter},
		{t.style, o.style}, {t.tag, o.tag}, {t.status, o.status}, {t.level, o.level}, {t.ledger, o.ledger}, {t.kind, o.kind}} {
		addCounts(m[0], m[1])
	}
	for code, u := range o.units {
		mine := t.units[code]
		if mine == nil {
			mine = &UnitFigures{Code: code}
			t.units[code] = mine
			t.unitStyle[code] = map[string]int{}
		}
		mine.Total += u.Total
		mine.Untagged += u.Untagged
		mine.Open += u.Open
		mine.Overdue += u.Overdue
		addCounts(t.unitStyle[code], o.unitStyle[code])
	}
	for k, n := range o.depts {
		t.depts[k] += n
	}
	for id, p := range o.problems {
		if mine := t.problems[id]; mine != nil {
			mine.N += p.N
		} else {
			c := *p
			t.problems[id] = &c
		}
	}
	r, or := &t.rect, &o.rect
	r.Assigned += or.Assigned
	r.Closed += or.Closed
	r.Done += or.Done
	r.Open += or.Open
	r.Deferred += or.Deferred
	r.Referred += or.Referred
	r.OverdueCount += or.OverdueCount
	r.LookBack.Passed += or.LookBack.Passed
	r.LookBack.Failed += or.LookBack.Failed
	for _, x := range o.overdue.items {
		t.overdue.offer(x)
	}
	for _, x := range o.lagging.items {
		t.lagging.offer(x)
	}
	t.reports.Received += o.reports.Received
	t.reports.Closed += o.reports.Closed
	t.reports.Substantiated += o.reports.Substantiated
	t.reports.Unfounded += o.reports.Unfounded
	t.reports.Accountability += o.reports.Accountability
}

func addCounts(dst, src map[string]int) {
	for k, n := range src {
		dst[k] += n
	}
}
