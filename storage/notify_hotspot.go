package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"time"

	"minsheng/access"
)

// Hot spots (预警, stats/warning.go) are told by the daily sweep in serve. The rule lives in
// package stats, which imports this one, so the sweep runs in three steps: HotSpotsDue says
// whether today's is due and up to which day it counts, HotSpotReaders says who is told with
// which scope, stats.HotSpotNotices counts, and QueueHotSpots queues what was not told before.
//
// Like the digest, it goes out once a day from DigestHour and counts only the days before
// today: the time a warning is sent says nothing about when any opinion came. It carries no
// words: the kind, the unit, the last day counted and a link to the unit's dashboard; not even
// the 科室, which is written by the public.

// HotSpotReader is someone the sweep tells of hot spots, with the scope their figures are
// counted in: administrators and reviewers for every active unit, a liaison for its own.
type HotSpotReader struct {
	UserID int64
	Viewer access.Viewer
	Units  []string
}

// HotSpotNotice is one hot spot found for one reader. Key names the warning (unit, month, the
// 科室 or the whole unit, the kind of problem): each reader is told of it once however many
// days it lasts. Through is the last day its figures count (YYYY-MM-DD): it is shown, and its
// month is the dashboard's the link opens.
type HotSpotNotice struct {
	UserID  int64
	Unit    string
	Key     string
	Through string
}

// hotSpotDayKey marks the day the hot-spot sweep ran (notify_keys).
func hotSpotDayKey(day string) string { return "hot_spot_day:" + day }

// HotSpotsDue reports whether today's hot-spot sweep is due (from DigestHour, once a day) and
// the last days it counts: yesterday; and the last day of the month before, when no sweep has
// run since the 1st (the first sweep of a month counts it) and that 1st is less than a week
// ago, so that a server down on the 1st still tells of what the month's last day raised.
func (s *Store) HotSpotsDue(ctx context.Context) (through []string, due bool, err error) {
	now := s.now()
	if now.Hour() < DigestHour {
		return nil, false, nil
	}
	today := now.Format(dateLayout)
	ran := func(from, to string) (bool, error) { // a sweep on a day in [from, to]
		var n int
		err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notify_keys WHERE key BETWEEN ? AND ?`,
			hotSpotDayKey(from), hotSpotDayKey(to)).Scan(&n)
		if err != nil {
			return false, fmt.Errorf("hot spots due: %w", err)
		}
		return n > 0, nil
	}
	if done, err := ran(today, today); err != nil || done {
		return nil, false, err
	}
	yesterday := now.AddDate(0, 0, -1)
	first := time.Date(yesterday.Year(), yesterday.Month(), 1, 12, 0, 0, 0, now.Location())
	through = []string{yesterday.Format(dateLayout)}
	if d := first.Format(dateLayout); d != today && now.Sub(first) < 7*24*time.Hour {
		done, err := ran(d, yesterday.Format(dateLayout))
		if err != nil {
			return nil, false, err
		}
		if !done {
			through = append([]string{first.AddDate(0, 0, -1).Format(dateLayout)}, through...)
		}
	}
	return through, true, nil
}

// HotSpotReaders are the people told of hot spots, each with the scope a session would give
// them (so nobody is told of a warning their own dashboard would not show).
func (s *Store) HotSpotReaders(ctx context.Context) ([]HotSpotReader, error) {
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	all := make([]string, len(units))
	for i, u := range units {
		all[i] = u.Code
	}
	today := s.Today()
	var out []HotSpotReader
	for _, u := range users {
		if u.Disabled {
			continue
		}
		var of []string
		switch {
		case u.Role == access.Admin || u.Role == access.Reviewer:
			of = all
		case u.Role == access.Liaison && u.Unit != "":
			of = []string{u.Unit}
		default:
			continue
		}
		v, err := s.viewerOf(ctx, u)
		if err != nil {
			return nil, err
		}
		v.Today = today
		out = append(out, HotSpotReader{UserID: u.ID, Viewer: v, Units: of})
	}
	return out, nil
}

// QueueHotSpots marks today's sweep done and queues, per reader, unit and last day counted,
// one notice of the hot spots not told to that reader before (in the channels the reader
// chose). A liaison who takes them by robot has them posted to their unit's robot, once per
// unit. It returns how many readers it told; none when another sweep did today's first.
func (s *Store) QueueHotSpots(ctx context.Context, notices []HotSpotNotice) (int, error) {
	sort.Slice(notices, func(i, j int) bool {
		a, b := notices[i], notices[j]
		if a.UserID != b.UserID {
			return a.UserID < b.UserID
		}
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		if a.Through != b.Through {
			return a.Through < b.Through
		}
		return a.Key < b.Key
	})
	queued := 0
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		queued = 0
		at := now.UTC().Format(timeLayout)
		res, err := tx.ExecContext(ctx, `INSERT INTO notify_keys (key, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			hotSpotDayKey(now.Format(dateLayout)), at)
		if err != nil {
			return fmt.Errorf("queue hot spots: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another sweep was quicker
		}
		type place struct {
			user          int64
			unit, through string
		}
		var fresh []place
		for _, n := range notices {
			sum := sha256.Sum256([]byte(strconv.FormatInt(n.UserID, 10) + "\x00" + n.Unit + "\x00" + n.Key))
			res, err := tx.ExecContext(ctx, `INSERT INTO notify_keys (key, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				"hot_spot:"+hex.EncodeToString(sum[:20]), at)
			if err != nil {
				return fmt.Errorf("queue hot spots: %w", err)
			}
			p := place{n.UserID, n.Unit, n.Through}
			if k, _ := res.RowsAffected(); k > 0 && (len(fresh) == 0 || fresh[len(fresh)-1] != p) {
				fresh = append(fresh, p)
			}
		}
		robots := map[[2]string]bool{} // unit, last day counted
		for _, p := range fresh {
			people, err := collect(ctx, tx, func(r *sql.Rows) (recipient, error) {
				var x recipient
				return x, r.Scan(&x.ID, &x.Role, &x.Unit, &x.Email)
			}, `SELECT id, role, COALESCE(unit_code, ''), COALESCE((SELECT email FROM notify_people p WHERE p.user_id = users.id), '')
				FROM users WHERE disabled = 0 AND id = ?`, p.user)
			if err != nil {
				return fmt.Errorf("queue hot spots: %w", err)
			}
			ev := Event{Kind: EventHotSpot, Unit: p.unit}
			for _, r := range people {
				robot, err := queueFor(ctx, tx, at, r, ev, p.unit, p.through)
				if err != nil {
					return err
				}
				// Only the unit's own liaisons speak for its group: the office's choice of robot
				// posts nothing about another unit to theirs.
				if robot && r.Role == access.Liaison && r.Unit == p.unit {
					robots[[2]string{p.unit, p.through}] = true
				}
				queued++
			}
		}
		for k := range robots {
			if err := queueRobot(ctx, tx, at, k[0], Event{Kind: EventHotSpot, Unit: k[0]}, k[1]); err != nil {
				return err
			}
		}
		return nil
	})
	return queued, err
}
