package lifecycle

import (
	"strings"
	"time"
	"unicode/utf8"

	"minsheng/locale"
)

// Step is one move of an opinion, with what the reviewer supplies for it. Only the fields the
// target status needs are read.
type Step struct {
	To          string
	LeadUnit    string // assigned: the unit that leads the fix (牵头单位)
	Responsible string // assigned: the responsible person (责任人), by name or post
	// Post is the responsible post (责任岗位: 分管副院长, 科主任…) the public task list names;
	// PublishName lets it name the Responsible person too (assigned; optional).
	Post        string
	PublishName bool
	Measures    string // assigned: what must be done (整改措施)
	Ledger      string // assigned: which ledger it goes in
	Deadline    string // assigned: YYYY-MM-DD (整改时限)
	Kind        string // rectifying: how it is fixed
	Explanation string // rectifying/planned: why it cannot be fixed now, for the public
	Report      string // reported: the unit's written account of what was done
	Note        string // why: a failed look-back, a reopening, a referral, closing without work
	Reason      string // rejected/forwarded: what the submitter reads
	MergeInto   string // duplicate: the opinion that carries the work
	// Visit is what the 满意度回访 has gathered, for 销号 from it. It is not typed by anyone:
	// storage reads it from the ratings inside the transaction that takes the step.
	Visit Visit
}

// Visit is what the submitters have answered in the 满意度回访 of an opinion.
type Visit struct {
	Reworked bool // a 不满意 sent the work back (补课返工) at least once
	Answered bool // someone answered in the current round
}

// Waiting reports whether 销号 must wait: after a rework the person who was not satisfied is
// asked again, and the work is not struck off on the office's word alone.
func (v Visit) Waiting() bool { return v.Reworked && !v.Answered }

// VisitWaiting is what the reviewer reads when 销号 waits for the new round's answer.
var VisitWaiting = locale.M("step.visit_waiting")

// maxText is the longest free text of a step, in characters.
const maxText = 5000

// Problems returns what is missing or wrong for moving from status from, field by field, as
// catalog messages; empty when the step may be taken. today (YYYY-MM-DD) bounds the deadline.
// The refusal of a move names both statuses as Status arguments, which say their words in the
// reader's language (Status.In).
func (s Step) Problems(from, today string) locale.Fields {
	p := locale.Fields{}
	if !CanMove(from, s.To) {
		p["status"] = locale.M("step.cannot_move", find(from), find(s.To))
		return p
	}
	need := func(field, value string, msg locale.Message) {
		switch v := strings.TrimSpace(value); {
		case v == "":
			p[field] = msg
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			p[field] = locale.M("step.bad_characters")
		case utf8.RuneCountInString(v) > maxText:
			p[field] = locale.M("step.too_long", maxText)
		}
	}
	switch s.To {
	case Assigned:
		need("lead_unit", s.LeadUnit, locale.M("step.lead_unit"))
		need("responsible", s.Responsible, locale.M("step.responsible"))
		need("measures", s.Measures, locale.M("step.measures"))
		if !ValidTerm(Ledgers, s.Ledger) {
			p["ledger"] = locale.M("step.ledger")
		}
		if d, err := time.Parse("2006-01-02", s.Deadline); err != nil {
			p["deadline"] = locale.M("step.deadline")
		} else if d.Format("2006-01-02") < today {
			p["deadline"] = locale.M("step.deadline_past")
		}
	case Rectifying:
		switch {
		case from == Assigned && !ValidTerm(Kinds, s.Kind):
			p["kind"] = locale.M("step.kind")
		case from == Assigned && s.Kind == KindPlanned:
			need("explanation", s.Explanation, locale.M("step.explanation"))
		case from == Assigned && s.Kind == KindReferred:
			need("note", s.Note, locale.M("step.referred_to"))
		case from != Assigned:
			need("note", s.Note, locale.M("step.reopen_reason"))
		}
	case Reported:
		need("report", s.Report, locale.M("step.report"))
	case Closed:
		if from == Triaged {
			need("note", s.Note, locale.M("step.close_reason"))
		}
		if from == Satisfaction && s.Visit.Waiting() {
			p["status"] = VisitWaiting
		}
	case Rejected:
		need("reason", s.Reason, locale.M("step.reject_reason"))
	case Forwarded:
		need("reason", s.Reason, locale.M("step.forward_to"))
	case Duplicate:
		need("merge_into", s.MergeInto, locale.M("step.merge_into"))
	}
	return p
}
