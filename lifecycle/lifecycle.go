// Package lifecycle is the 整改 (rectification) state machine: which statuses an opinion can
// have, which may follow which, and what a reviewer must supply for each step. The seeds'
// procedure is 汇总梳理 → 交办 → 整改 → 回头看 → 满意度 → 销号; the side exits are 不予受理,
// 重复 and 转办.
package lifecycle

import (
	"strings"

	"minsheng/locale"
)

// Status codes, stored in the database and used in URLs of the staff queue.
const (
	Received     = "received"     // 待梳理: new, nobody has sorted it yet
	Triaged      = "triaged"      // 已分类: read, tagged, level set
	Assigned     = "assigned"     // 已交办: a lead unit, a responsible person, a deadline, measures
	Rectifying   = "rectifying"   // 整改中: being fixed, with a kind (立行立改, 限期整改, 列入计划, 已移交)
	Reported     = "reported"     // 已整改待核验: the unit reports it done, with a written account
	LookBack     = "lookback"     // 回头看: a reviewer or supervisor checks the fix
	Satisfaction = "satisfaction" // 满意度回访: the submitter is asked whether they are satisfied
	Closed       = "closed"       // 已销号: struck off the ledger
	Rejected     = "rejected"     // 不予受理: out of scope, with a reason the submitter sees
	Duplicate    = "duplicate"    // 重复: merged into another opinion, which carries the work
	Forwarded    = "forwarded"    // 转办: handed to another authority, with a reason the submitter sees
)

// Status is a status with the label staff read and the plain words the submitter reads, each
// a catalog message (package locale); Label and Public hold the default language's, zh-CN.
type Status struct {
	Code      string
	Label     string
	Public    string
	Key       string
	PublicKey string
}

// In returns the staff label in the printer's language.
func (s Status) In(p *locale.Printer) string { return p.T(s.Key) }

// PublicIn returns the submitter's words in the printer's language.
func (s Status) PublicIn(p *locale.Printer) string { return p.T(s.PublicKey) }

// status makes a Status of its two keys ("status.CODE", "status_public.CODE"), written out whole
// where the list is made so that the catalog's tests find them.
func status(key, publicKey string) Status {
	zh := locale.Get(locale.Default)
	_, code, _ := strings.Cut(key, ".")
	if !zh.Has(key) || !zh.Has(publicKey) {
		panic("lifecycle: no catalog message for status " + code)
	}
	return Status{Code: code, Label: zh.T(key), Public: zh.T(publicKey), Key: key, PublicKey: publicKey}
}

// Statuses lists every status in workflow order.
var Statuses = []Status{
	status("status.received", "status_public.received"),
	status("status.triaged", "status_public.triaged"),
	status("status.assigned", "status_public.assigned"),
	status("status.rectifying", "status_public.rectifying"),
	status("status.reported", "status_public.reported"),
	status("status.lookback", "status_public.lookback"),
	status("status.satisfaction", "status_public.satisfaction"),
	status("status.closed", "status_public.closed"),
	status("status.rejected", "status_public.rejected"),
	status("status.duplicate", "status_public.duplicate"),
	status("status.forwarded", "status_public.forwarded"),
}

// next lists, for each status, the statuses a reviewer may move it to.
var next = map[string][]string{
	Received:     {Triaged, Rejected, Duplicate, Forwarded},
	Triaged:      {Assigned, Closed, Rejected, Duplicate, Forwarded},
	Assigned:     {Rectifying, Triaged},
	Rectifying:   {Reported},
	Reported:     {LookBack, Rectifying},
	LookBack:     {Satisfaction, Rectifying},
	Satisfaction: {Closed, Rectifying},
	Closed:       {Rectifying},
	Rejected:     {Triaged},
	Duplicate:    {Triaged},
	Forwarded:    {Triaged},
}

// Valid reports whether code is a known status.
func Valid(code string) bool {
	_, ok := next[code]
	return ok
}

// CanMove reports whether an opinion in status from may be moved to status to.
func CanMove(from, to string) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Next returns the statuses that may follow from, in workflow order.
func Next(from string) []Status {
	var out []Status
	for _, s := range Statuses {
		if CanMove(from, s.Code) {
			out = append(out, s)
		}
	}
	return out
}

// LabelIn is Label in the printer's language.
func LabelIn(p *locale.Printer, code string) string { return find(code).In(p) }

// PublicLabelIn is Public in the printer's language.
func PublicLabelIn(p *locale.Printer, code string) string { return find(code).PublicIn(p) }

func find(code string) Status {
	for _, s := range Statuses {
		if s.Code == code {
			return s
		}
	}
	// An unknown code shows as itself in every language: its keys are not in the catalog.
	return Status{Code: code, Label: code, Public: code, Key: code, PublicKey: code}
}

// Open reports whether an opinion in status code still has work to do: its deadline matters
// and it can be overdue.
func Open(code string) bool {
	switch code {
	case Assigned, Rectifying, Reported, LookBack:
		return true
	}
	return false
}

// mainRoad is the procedure's order when nothing goes wrong.
var mainRoad = []string{Triaged, Assigned, Rectifying, Reported, LookBack, Satisfaction, Closed}

// PathTo returns the statuses a new opinion passes through, in order, to reach status: along
// the main road of the procedure, or straight from 待梳理 for a side exit. Nil for 待梳理 and
// for unknown statuses. Demonstration data and tests use it to bring opinions into a state.
func PathTo(status string) []string {
	for i, s := range mainRoad {
		if s == status {
			return append([]string(nil), mainRoad[:i+1]...)
		}
	}
	if CanMove(Received, status) {
		return []string{status}
	}
	return nil
}
