package stats

import (
	"context"
	"fmt"
	"sort"

	"minsheng/period"
)

// Symposia are the meetings (座谈会, feature 10) held in a period, by the day each was held:
// how many, how many took part, and how many opinions were raised at them that the reader may
// count (their scope, as every figure's). Counts only.
type Symposia struct {
	Meetings     int             `json:"meetings"`
	Participants int             `json:"participants"`
	Opinions     int             `json:"opinions"`
	ByUnit       []SymposiumUnit `json:"by_unit"` // units that held any, tree order
	// List is every meeting of the period, one line each (the reports count opinions per
	// meeting), by the day held.
	List []SymposiumMeeting `json:"list,omitempty"`
}

// SymposiumMeeting is one meeting's line: the day, the unit, the host as recorded, how many
// took part, the opinions raised that the reader may count and of them how many are closed
// (办结).
type SymposiumMeeting struct {
	HeldOn       string `json:"held_on"`
	Unit         string `json:"unit"`
	Host         string `json:"host"`
	Participants int    `json:"participants"`
	Opinions     int    `json:"opinions"`
	Closed       int    `json:"closed"`
}

// SymposiumUnit is one unit's line.
type SymposiumUnit struct {
	Code         string `json:"code"`
	Meetings     int    `json:"meetings"`
	Participants int    `json:"participants"`
	Opinions     int    `json:"opinions"`
}

// symposia counts the period's meetings in the query's scope; nil when none was held, so that
// the figures of a period without one are as they always were.
func (e *env) symposia(ctx context.Context, p period.Period) (*Symposia, error) {
	counts, err := e.st.SymposiumCounts(ctx, e.filter(p.From, p.To))
	if err != nil {
		return nil, fmt.Errorf("stats symposia %s: %w", p, err)
	}
	if len(counts) == 0 {
		return nil, nil
	}
	var s Symposia
	for _, x := range counts {
		s.Meetings += x.Meetings
		s.Participants += x.Participants
		s.Opinions += x.Opinions
		s.ByUnit = append(s.ByUnit, SymposiumUnit{Code: x.Unit, Meetings: x.Meetings, Participants: x.Participants, Opinions: x.Opinions})
	}
	sort.SliceStable(s.ByUnit, func(i, j int) bool {
		a, okA := e.unitIndex[s.ByUnit[i].Code]
		b, okB := e.unitIndex[s.ByUnit[j].Code]
		if okA != okB {
			return okA
		}
		return a < b
	})
	meetings, err := e.st.SymposiumMeetings(ctx, e.filter(p.From, p.To))
	if err != nil {
		return nil, fmt.Errorf("stats symposia %s: %w", p, err)
	}
	for _, m := range meetings {
		s.List = append(s.List, SymposiumMeeting{HeldOn: m.HeldOn, Unit: m.Unit, Host: m.Host,
			Participants: m.Participants, Opinions: m.Opinions, Closed: m.Closed})
	}
	return &s, nil
}
