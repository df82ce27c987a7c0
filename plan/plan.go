// Package plan holds the rules of the 两方案一计划 (#14): the kinds of plan, their states, which
// step each role may take from which state, and how a plan's plain text is read into headings
// and paragraphs. Storage keeps the rows; handlers ask this package what a viewer may do.
package plan

import (
	"strings"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/vocab"
)

// Kinds of plan: the 整改方案, the 专项整治方案 and the 制度建设计划.
const (
	Rectification = "rectification"
	Special       = "special"
	System        = "system"
)

// KindTerms lists the kinds with their catalog keys, in the order forms show them.
var KindTerms = vocab.List("plankind.rectification", "plankind.special", "plankind.system")

// ValidKind reports whether kind is one of the three.
func ValidKind(kind string) bool { return kind == Rectification || kind == Special || kind == System }

// States of a plan: 草稿 → 征求意见 (optional) → 督导组审核 (approved, or returned with
// comments and edited again) → 已批准 → 已公示 → 已完成.
const (
	Draft     = "draft"
	Comment   = "comment"
	Review    = "review"
	Returned  = "returned"
	Approved  = "approved"
	Published = "published"
	Done      = "done"
)

// StatusTerms lists the states with their catalog keys, in order.
var StatusTerms = vocab.List("planstatus.draft", "planstatus.comment", "planstatus.review",
	"planstatus.returned", "planstatus.approved", "planstatus.published", "planstatus.done")

// ValidStatus reports whether status is one of the states.
func ValidStatus(status string) bool {
	for _, t := range StatusTerms {
		if t.Code == status {
			return true
		}
	}
	return false
}

// Steps a viewer may take on a plan.
const (
	OpenComment  = "open_comment"  // 活动办 opens the draft for comment to a scope for a period
	CloseComment = "close_comment" // 活动办 ends the comment period and edits the draft again
	Submit       = "submit"        // 活动办 sends it to the 督导组
	Approve      = "approve"       // 督导组 approves it
	Return       = "return"        // 督导组 returns it with comments
	Publish      = "publish"       // 活动办 publishes it to a scope, saying what changed
	Finish       = "finish"        // 活动办 marks it done (已完成)
)

// Actions lists the steps in the order a plan's page offers them.
var Actions = []string{OpenComment, CloseComment, Submit, Approve, Return, Publish, Finish}

// office is the 活动办: the roles that draft, open for comment, submit, publish and finish.
func office(role string) bool { return role == access.Admin || role == access.Reviewer }

// supervision is the 督导组: the role that approves or returns.
func supervision(role string) bool { return role == access.Supervisor }

// Next returns the state a plan in status moves to when a viewer of role takes action, and
// false if that role may not take that step from that state.
func Next(status, action, role string) (string, bool) {
	type rule struct {
		from []string
		to   string
		who  func(string) bool
	}
	rules := map[string]rule{
		OpenComment:  {[]string{Draft, Returned}, Comment, office},
		CloseComment: {[]string{Comment}, Draft, office},
		Submit:       {[]string{Draft, Returned, Comment}, Review, office},
		Approve:      {[]string{Review}, Approved, supervision},
		Return:       {[]string{Review}, Returned, supervision},
		Publish:      {[]string{Approved}, Published, office},
		Finish:       {[]string{Published}, Done, office},
	}
	r, ok := rules[action]
	if !ok || !r.who(role) {
		return "", false
	}
	for _, f := range r.from {
		if f == status {
			return r.to, true
		}
	}
	return "", false
}

// RoleMay reports whether role may ever take action, from some state: a step it may not take
// at all is refused outright (403), one it may take but not now is a conflict.
func RoleMay(action, role string) bool {
	for _, t := range StatusTerms {
		if _, ok := Next(t.Code, action, role); ok {
			return true
		}
	}
	return false
}

// Visible reports whether a staff member of role, reading as r, may open a plan on the staff
// pages: the office and the supervision group every plan; the others a draft open for comment
// to a scope they read (commentScope), and a published plan published to one (scope).
func Visible(status, commentScope, scope, role string, r campaign.Reader) bool {
	switch {
	case office(role) || supervision(role):
		return true
	case status == Comment:
		return campaign.CanRead(commentScope, r)
	case Released(status):
		return campaign.CanRead(scope, r)
	}
	return false
}

// Allowed returns the steps a viewer of role may take on a plan in status, in Actions order.
func Allowed(status, role string) []string {
	var out []string
	for _, a := range Actions {
		if _, ok := Next(status, a, role); ok {
			out = append(out, a)
		}
	}
	return out
}

// Editable reports whether a viewer of role may change a plan's text and tasks in status: the
// 活动办, while it is a draft or returned. A draft open for comment stays as the commenters read
// it; close the comment period to edit it.
func Editable(status, role string) bool {
	return office(role) && (status == Draft || status == Returned)
}

// Released reports whether a plan in status has been published (已公示 or 已完成).
func Released(status string) bool { return status == Published || status == Done }

// OpenForComment reports whether a plan takes comments on day (YYYY-MM-DD): it is open for
// comment and day is within its period.
func OpenForComment(status, from, to, day string) bool {
	return status == Comment && from != "" && from <= day && day <= to
}

// Block is one piece of a plan's text: a heading ("一、…"), a subheading ("（一）…") or a
// paragraph. Templates print Text escaped; nothing a person typed becomes HTML.
type Block struct {
	Kind string // "h", "sub" or "p"
	Text string
}

// Blocks reads a plan's text: a line starting with a Chinese numeral and "、" (一、 … 十九、)
// is a heading, one starting "（一）" (full- or half-width brackets) a subheading, and the
// other non-empty lines are paragraphs, one each.
func Blocks(body string) []Block {
	var out []Block
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case isHeading(line):
			out = append(out, Block{"h", line})
		case isSubheading(line):
			out = append(out, Block{"sub", line})
		default:
			out = append(out, Block{"p", line})
		}
	}
	return out
}

// The numbering of official documents' headings, by code point (the characters are matched in
// what staff write, not shown): 一 二 三 四 五 六 七 八 九 十, the enumeration comma 、 and the
// full-width brackets （ ）.
const (
	enumComma = '\u3001'
	openFull  = '\uff08'
	closeFull = '\uff09'
)

var numeralSet = []rune{0x4e00, 0x4e8c, 0x4e09, 0x56db, 0x4e94, 0x516d, 0x4e03, 0x516b, 0x4e5d, 0x5341}

func numeral(r rune) bool {
	for _, n := range numeralSet {
		if r == n {
			return true
		}
	}
	return false
}

// isHeading: one to three Chinese numerals, then "、".
func isHeading(line string) bool {
	n := 0
	for _, r := range line {
		switch {
		case numeral(r) && n < 3:
			n++
		case r == enumComma && n > 0:
			return true
		default:
			return false
		}
	}
	return false
}

// isSubheading: "（" or "(", one to three Chinese numerals, then "）" or ")".
func isSubheading(line string) bool {
	rs := []rune(line)
	if len(rs) < 3 || (rs[0] != openFull && rs[0] != '(') {
		return false
	}
	for i := 1; i < len(rs) && i <= 4; i++ {
		switch {
		case numeral(rs[i]):
		case (rs[i] == closeFull || rs[i] == ')') && i > 1:
			return true
		default:
			return false
		}
	}
	return false
}
