package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// StatusCounts is the queue's sidebar: how many opinions of a filter are in each status, and
// how many of them are open work past its deadline (逾期). It is no report figure: it counts
// whatever the queue's filter selects (a search, a tag, a mailbox) on every view of the queue,
// so it stays an index-only aggregate here; the figures the office reports are package stats'.
type StatusCounts struct {
	ByStatus map[string]int // status code → opinions; statuses with none are absent
	Total    int
	Overdue  int // open (lifecycle.Open) with a deadline before today
	// Capped: a search for a common word, counted over its first SearchCap matches only (the
	// counts are at least these).
	Capped bool
	// FilterRead: counted from the filter's side (a department head's 科室, a short tag:
	// search_narrow_counts.go), and Capped because the filter holds more documents than its
	// newest FilterRead, which were searched.
	FilterRead int
}

// StatusCounts counts the opinions matching f in every status at once, ignoring f.Status (the
// sidebar's links set it), within f.Scope like the list. Two aggregates over the person's
// scope, never one query per status: the counts by status, read from the opinions_by_status index
// alone unless the filter needs the rectification (a liaison's scope); and the open work past
// its deadline, found from the rectifications' deadline index.
func (s *Store) StatusCounts(ctx context.Context, f OpinionFilter) (StatusCounts, error) {
	f.Status = ""
	// The common views summed from the counts kept as rows change (queue_counts.go).
	if keptCountsFit(f) {
		return s.keptStatusCounts(ctx, f)
	}
	// A search's matches counted from the index's documents when they can be (search_facets.go).
	if c, ok, err := s.countsFromFacets(ctx, f); err != nil || ok {
		return c, err
	}
	sc, err := s.searchClauseFor(ctx, f, true)
	if err != nil {
		return StatusCounts{}, fmt.Errorf("status counts: %w", err)
	}
	f.Text = "" // searched through sc
	f.byKey = sc.hits != ""
	where, args := f.where()
	where += sc.cond
	args = append(args, sc.args...)
	from := ` FROM opinions o`
	if f.readsRectification() {
		from += ` LEFT JOIN rectifications r ON r.opinion_id = o.id`
	}
	from, fromArgs := sc.from(from)
	c := StatusCounts{ByStatus: map[string]int{}, Capped: sc.capped}
	type count struct {
		status     string
		n, overdue int
	}
	// With the hits of a search, both aggregates in one pass over the few opinions found; the
	// rectification is read for open work only.
	overdue := `0`
	selectArgs := []any{}
	switch {
	case sc.hits != "" && f.readsRectification(): // joined for the scope already
		overdue = `count(CASE WHEN r.deadline != '' AND r.deadline < ? AND o.status IN (` + openStatuses() + `) THEN 1 END)`
		selectArgs = append(selectArgs, s.Today())
	case sc.hits != "":
		overdue = `count(CASE WHEN o.status IN (` + openStatuses() + `) AND EXISTS (SELECT 1 FROM rectifications rd
			WHERE rd.opinion_id = o.id AND rd.deadline != '' AND rd.deadline < ?) THEN 1 END)`
		selectArgs = append(selectArgs, s.Today())
	}
	counts, err := collect(ctx, s.read, func(rows *sql.Rows) (count, error) {
		var n count
		return n, rows.Scan(&n.status, &n.n, &n.overdue)
	}, `SELECT o.status, count(*), `+overdue+from+` WHERE `+where+` GROUP BY o.status`,
		append(append(selectArgs, fromArgs...), args...)...)
	if err != nil {
		return StatusCounts{}, fmt.Errorf("status counts: %w", err)
	}
	for _, n := range counts {
		c.ByStatus[n.status] = n.n
		c.Total += n.n
		c.Overdue += n.overdue
	}
	if sc.hits != "" {
		return c, nil
	}
	err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM opinions o JOIN rectifications r ON r.opinion_id = o.id
		WHERE r.deadline != '' AND r.deadline < ? AND o.status IN (`+openStatuses()+`) AND `+where,
		append([]any{s.Today()}, args...)...).Scan(&c.Overdue)
	if err != nil {
		return StatusCounts{}, fmt.Errorf("overdue count: %w", err)
	}
	return c, nil
}

// SavedFilter is a queue filter a staff member keeps under a name.
type SavedFilter struct {
	ID        int64
	Name      string
	Query     string // url-encoded, as the queue builds it
	CreatedAt time.Time
}

// MaxSavedFilters is how many filters one person may keep.
const MaxSavedFilters = 50

// ErrLimit means a person already keeps as many of something as allowed.
var ErrLimit = errors.New("limit reached")

// SavedFilters returns the filters userID keeps, by name.
func (s *Store) SavedFilters(ctx context.Context, userID int64) ([]SavedFilter, error) {
	out, err := collect(ctx, s.read, func(rows *sql.Rows) (SavedFilter, error) {
		var f SavedFilter
		var at string
		err := rows.Scan(&f.ID, &f.Name, &f.Query, &at)
		f.CreatedAt, _ = time.Parse(timeLayout, at)
		return f, err
	}, `SELECT id, name, query, created_at FROM saved_filters WHERE user_id = ? ORDER BY name, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("saved filters: %w", err)
	}
	return out, nil
}

// SaveFilter keeps query under name for userID, audited. A name the person already uses is
// ErrConflict; more than MaxSavedFilters is ErrLimit. Callers check the name (1–30 characters)
// and build query from a checked filter; the table's CHECKs refuse anything else.
func (s *Store) SaveFilter(ctx context.Context, userID int64, name, query string) (SavedFilter, error) {
	f := SavedFilter{Name: name, Query: query}
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM saved_filters WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxSavedFilters {
			return fmt.Errorf("saved filters of user %d: %w", userID, ErrLimit)
		}
		f.CreatedAt = now.UTC().Truncate(time.Second)
		err := tx.QueryRowContext(ctx, `INSERT INTO saved_filters (user_id, name, query, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			userID, name, query, f.CreatedAt.Format(timeLayout)).Scan(&f.ID)
		if err != nil {
			return fmt.Errorf("save filter: %w", mapError(err))
		}
		return audit(ctx, tx, now, userID, "filter_save", "", name)
	})
	if err != nil {
		return SavedFilter{}, err
	}
	return f, nil
}

// DeleteSavedFilter removes filter id if userID keeps it; anyone else's filter, like a missing
// one, is ErrNotFound.
func (s *Store) DeleteSavedFilter(ctx context.Context, userID, id int64) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var name string
		err := tx.QueryRowContext(ctx, `DELETE FROM saved_filters WHERE id = ? AND user_id = ? RETURNING name`, id, userID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("saved filter %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "filter_delete", "", name)
	})
}
