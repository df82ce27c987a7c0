// Package campaign holds the rules of a campaign (活动) of the seeds: its phases with their
// dates, the collection window in which its own questions are open, which units it covers, and
// who may read what is published in it (a visibility scope). It is pure: storage keeps
// campaigns and hands them here; handlers ask here what is open today.
//
// Days are "YYYY-MM-DD" strings throughout, as storage keeps them: they compare in order.
package campaign

import (
	"sort"
	"strings"

	"minsheng/vocab"
)

// Phase kinds, in the order of the seeds (听取意见 → 查摆问题 → 整改落实 → 回头看 → 总结), and
// a custom phase named by the admin.
const (
	Listen   = "listen"   // 听取意见: the collection window; the campaign's questions are open
	Examine  = "examine"  // 查摆问题
	Rectify  = "rectify"  // 整改落实
	LookBack = "lookback" // 回头看: open rectifications go on the 督导组's review list
	Summary  = "summary"  // 总结
	Custom   = "custom"   // named by the admin
)

// Kinds lists the phase kinds with their catalog keys, in the order forms show them.
var Kinds = vocab.List("phase.listen", "phase.examine", "phase.rectify",
	"phase.lookback", "phase.summary", "phase.custom")

// Phase is one stage of a campaign.
type Phase struct {
	Seq      int    // 1, 2, … in date order
	Kind     string // one of the kinds above
	Name     string // the admin's name, for a custom phase ("" otherwise)
	StartsOn string // first day, inclusive
	EndsOn   string // last day, inclusive
}

// Contains reports whether day falls within the phase.
func (p Phase) Contains(day string) bool { return p.StartsOn <= day && day <= p.EndsOn }

// Campaign is one campaign (活动) with its phases.
type Campaign struct {
	ID       int64
	Name     string
	StartsOn string   // the first day of its first phase
	EndsOn   string   // the last day of its last phase
	Units    []string // the unit codes it covers; none: every unit
	Phases   []Phase  // in date order
	// Questions are the opinion form's own questions for this campaign, open only in a
	// collection window (a 听取意见 phase).
	Questions []string
	// Working days allowed by default (限时办结) for 立行立改 and for 限期整改.
	ImmediateDays, LimitedDays int
	CreatedOn                  string
}

// Covers reports whether the campaign covers unit (a campaign without units covers them all).
func (c Campaign) Covers(unit string) bool {
	if len(c.Units) == 0 {
		return true
	}
	for _, u := range c.Units {
		if u == unit {
			return true
		}
	}
	return false
}

// Running reports whether day is within the campaign.
func (c Campaign) Running(day string) bool { return c.StartsOn <= day && day <= c.EndsOn }

// PhaseOn returns the phase day falls in, if any (phases may leave gaps).
func (c Campaign) PhaseOn(day string) (Phase, bool) {
	for _, p := range c.Phases {
		if p.Contains(day) {
			return p, true
		}
	}
	return Phase{}, false
}

// WindowOpen reports whether the campaign's own questions are open on day: day falls in one
// of its 听取意见 phases.
func (c Campaign) WindowOpen(day string) bool {
	p, ok := c.PhaseOn(day)
	return ok && p.Kind == Listen
}

// LookBackOn returns the first day of the campaign's first 回头看 phase, "" if it has none.
func (c Campaign) LookBackOn() string {
	for _, p := range c.Phases {
		if p.Kind == LookBack {
			return p.StartsOn
		}
	}
	return ""
}

// For returns the campaign an item about unit that arrived on day belongs to: among those
// running that day and covering the unit, the one that started last (a narrower campaign
// started inside a wider one takes its items), ties by the higher id. ok is false if none.
func For(all []Campaign, day, unit string) (Campaign, bool) {
	var best Campaign
	found := false
	for _, c := range all {
		if !c.Running(day) || !c.Covers(unit) {
			continue
		}
		if !found || c.StartedAfter(best) {
			best, found = c, true
		}
	}
	return best, found
}

// Current returns the campaigns running on day, most recently started first.
func Current(all []Campaign, day string) []Campaign {
	var out []Campaign
	for _, c := range all {
		if c.Running(day) {
			out = append(out, c)
		}
	}
	SortNewestFirst(out)
	return out
}

// StartedAfter reports whether c started after o: a later first day, or the same day and the
// newer id. It is the one order of campaigns: lists show the latest first, and an item belongs
// to the latest that takes it (For).
func (c Campaign) StartedAfter(o Campaign) bool {
	return c.StartsOn > o.StartsOn || (c.StartsOn == o.StartsOn && c.ID > o.ID)
}

// SortNewestFirst orders cs by StartedAfter, the most recently started first.
func SortNewestFirst(cs []Campaign) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].StartedAfter(cs[j]) })
}

// Visibility scopes of a published item (a plan, a task list, a notice, a 简报): "在一定范围内".
const (
	ScopePublic = "public" // anyone, on the public pages
	ScopeStaff  = "staff"  // the staff of the whole system, signed in
	unitPrefix  = "unit:"  // "unit:CODE": the staff of one unit, signed in
)

// ScopeUnit is the scope of the staff of one unit.
func ScopeUnit(code string) string { return unitPrefix + code }

// ScopeUnitCode returns the unit of a unit scope, "" for any other scope.
func ScopeUnitCode(scope string) string {
	if strings.HasPrefix(scope, unitPrefix) {
		return strings.TrimPrefix(scope, unitPrefix)
	}
	return ""
}

// ValidScope reports whether scope is one of the three forms.
func ValidScope(scope string) bool {
	return scope == ScopePublic || scope == ScopeStaff || (ScopeUnitCode(scope) != "" && len(scope) <= 60)
}

// Reader is who is reading a published item: the public (Staff false), or a signed-in staff
// member with their unit ("" for bureau-wide roles such as the admin or the 活动办).
type Reader struct {
	Staff bool
	Unit  string
	// Bureau: a role that reads every unit's items (admin, reviewer, supervisor, discipline).
	Bureau bool
}

// CanRead reports whether r may read an item published with scope. A unit-scoped item is for
// the staff of that unit, and for the bureau's own roles who published it and oversee all
// units.
func CanRead(scope string, r Reader) bool {
	switch {
	case scope == ScopePublic:
		return true
	case scope == ScopeStaff:
		return r.Staff
	case ScopeUnitCode(scope) != "":
		return r.Staff && (r.Bureau || r.Unit == ScopeUnitCode(scope))
	}
	return false
}

// Scopes lists the scope forms with their catalog keys, in the order forms show them; a unit
// scope's code is "unit" here and completed with the unit's code (ScopeUnit) by the form.
var Scopes = vocab.List("scope.public", "scope.staff", "scope.unit")
