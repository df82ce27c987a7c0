package lifecycle

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Step is one move of an opinion, with what the reviewer supplies for it. Only the fields the
// target status needs are read.
type Step struct {
	To          string
	LeadUnit    string // assigned: the unit that leads the fix (牵头单位)
	Responsible string // assigned: the responsible person (责任人), by name or post
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
const VisitWaiting = "留言人曾表示不满意，这一轮满意度回访还没有人作出评价，暂不能销号。请等留言人在查询页评价后再销号。"

// maxText is the longest free text of a step, in characters.
const maxText = 5000

// Problems returns what is missing or wrong for moving from status from, field by field, in
// Chinese; empty when the step may be taken. today (YYYY-MM-DD) bounds the deadline.
func (s Step) Problems(from, today string) map[string]string {
	p := map[string]string{}
	if !CanMove(from, s.To) {
		p["status"] = "当前状态“" + Label(from) + "”不能改为“" + Label(s.To) + "”。"
		return p
	}
	need := func(field, value, msg string) {
		switch v := strings.TrimSpace(value); {
		case v == "":
			p[field] = msg
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			p[field] = "含有无法识别的字符。"
		case utf8.RuneCountInString(v) > maxText:
			p[field] = "太长了，最多 5000 个字。"
		}
	}
	switch s.To {
	case Assigned:
		need("lead_unit", s.LeadUnit, "请选择牵头单位。")
		need("responsible", s.Responsible, "请写明责任人。")
		need("measures", s.Measures, "请写明整改措施。")
		if !ValidTerm(Ledgers, s.Ledger) {
			p["ledger"] = "请选择台账。"
		}
		if d, err := time.Parse("2006-01-02", s.Deadline); err != nil {
			p["deadline"] = "请填写整改时限（日期）。"
		} else if d.Format("2006-01-02") < today {
			p["deadline"] = "整改时限不能早于今天。"
		}
	case Rectifying:
		switch {
		case from == Assigned && !ValidTerm(Kinds, s.Kind):
			p["kind"] = "请选择整改方式。"
		case from == Assigned && s.Kind == KindPlanned:
			need("explanation", s.Explanation, "列入计划的问题要向群众说明原因。")
		case from == Assigned && s.Kind == KindReferred:
			need("note", s.Note, "请写明移交给哪个机关。")
		case from != Assigned:
			need("note", s.Note, "请写明退回整改的原因。")
		}
	case Reported:
		need("report", s.Report, "请写明整改情况。")
	case Closed:
		if from == Triaged {
			need("note", s.Note, "请写明无需整改即销号的原因。")
		}
		if from == Satisfaction && s.Visit.Waiting() {
			p["status"] = VisitWaiting
		}
	case Rejected:
		need("reason", s.Reason, "请写明不予受理的原因，留言人会看到。")
	case Forwarded:
		need("reason", s.Reason, "请写明转给了哪个部门，留言人会看到。")
	case Duplicate:
		need("merge_into", s.MergeInto, "请填写合并到的意见编号。")
	}
	return p
}
