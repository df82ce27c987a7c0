package stats

import (
	"context"
	"fmt"
	"strings"
	"time"

	"minsheng/period"
	"minsheng/storage"
)

// HotSpots are unit's warnings (预警, the dashboard's rule: Hot) as viewer counts them, in the
// month of through (YYYY-MM-DD) up to and including that day, against the WarnMonths months
// before. The daily sweep asks with through = yesterday, so a warning is never raised by an
// opinion of the day it is sent.
func HotSpots(ctx context.Context, st *storage.Store, q DashboardQuery, through string) ([]Warning, error) {
	day, err := time.Parse("2006-01-02", through)
	if err != nil {
		return nil, fmt.Errorf("hot spots through %q: %w", through, err)
	}
	month, err := period.Parse(through[:7])
	if err != nil {
		return nil, err
	}
	q.Month = month.String()
	span := month.TrailingMonths(WarnMonths + 1)
	t := newDashTally(q, span)
	f := storage.DashboardFilter{Unit: q.Unit, Dept: q.Dept, From: span.From, To: day.AddDate(0, 0, 1).Format("2006-01-02"), Viewer: q.Viewer}
	if err := st.EachDashboardItem(ctx, f, t.item); err != nil {
		return nil, err
	}
	return t.finish().Warnings, nil
}

// WarningKey names a warning for the notices: its unit, month, place (the whole unit or a
// 科室) and kind of problem. It is hashed before it is stored.
func WarningKey(unit, month string, w Warning) string {
	place := "unit"
	if !w.WholeUnit {
		place = "dept\x00" + w.Dept
	}
	return strings.Join([]string{unit, month, place, w.Kind, w.Code}, "\x00")
}

// HotSpotNotices finds, for each reader, the hot spots of the units they are told of, counted
// in their own scope through the day given. Readers with the same scope share one count.
func HotSpotNotices(ctx context.Context, st *storage.Store, readers []storage.HotSpotReader, through string) ([]storage.HotSpotNotice, error) {
	type place struct{ scope, unit string }
	found := map[place][]Warning{}
	var out []storage.HotSpotNotice
	for _, r := range readers {
		v := r.Viewer
		scope := fmt.Sprintf("%s|%s|%q|%q|%s", v.Role, v.Unit, v.Linked, v.Mailboxes, v.Today)
		for _, unit := range r.Units {
			k := place{scope, unit}
			ws, ok := found[k]
			if !ok {
				var err error
				ws, err = HotSpots(ctx, st, DashboardQuery{Unit: unit, Viewer: v, Today: v.Today}, through)
				if err != nil {
					return nil, err
				}
				found[k] = ws
			}
			for _, w := range ws {
				out = append(out, storage.HotSpotNotice{UserID: r.UserID, Unit: unit, Key: WarningKey(unit, through[:7], w), Through: through})
			}
		}
	}
	return out, nil
}
