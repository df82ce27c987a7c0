// Package vocab holds the fixed words of an opinion: what kind of opinion it is and who wrote it.
// The codes are a contract (form values, database CHECKs, exports); the labels are what people read.
package vocab

import (
	"strings"

	"minsheng/locale"
)

// Term pairs a stable code with its label. The label of each language is the catalog's message
// of Key (package locale); Label keeps the default language's, zh-CN, for the callers and
// templates that do not yet choose a language.
type Term struct {
	Code  string
	Key   string
	Label string
}

// In returns the term's label in the printer's language.
func (t Term) In(p *locale.Printer) string { return p.T(t.Key) }

// List makes the terms of keys, in order. A key is "group.code" (channel.web): the code is what
// follows the first dot. The keys are written out whole where a list is made, so that the
// catalog's tests find each one in the sources.
func List(keys ...string) []Term {
	zh := locale.Get(locale.Default)
	terms := make([]Term, len(keys))
	for i, key := range keys {
		_, code, ok := strings.Cut(key, ".")
		if !ok || !zh.Has(key) {
			panic("vocab: no catalog message for term key " + key)
		}
		terms[i] = Term{Code: code, Key: key, Label: zh.T(key)}
	}
	return terms
}

// Types are the kinds of opinion a person can leave, in the order the form shows them.
var Types = List("type.opinion", "type.suggestion", "type.complaint", "type.report", "type.praise")

// Submitters are who a person says they are, in the order the form shows them.
// The last four are the categories of feature 4 that the first form lacked: 党员, 服务对象 /
// 管理相对人, 两代表一委员 and 行风 / 社会监督员.
var Submitters = List("submitter.patient", "submitter.family", "submitter.staff", "submitter.public",
	"submitter.party_member", "submitter.client", "submitter.deputy", "submitter.monitor", "submitter.other")

// StaffSubmitter is the submitter code of a staff member (职工): the only one that gives a Segment.
const StaffSubmitter = "staff"

// Segments are the staff member's segment (feature 2), which only a staff member gives and
// never must: the groups the seeds hold their symposiums with.
var Segments = List("segment.functional", "segment.clinical", "segment.medtech", "segment.nursing",
	"segment.senior_expert", "segment.young_doctor", "segment.logistics", "segment.democratic_party",
	"segment.retired", "segment.trainee")

// TargetKinds are whom an opinion is about besides its unit (feature 5, 挂牌上岗): a member of
// the leadership (领导班子成员) or a staff member, named by post or badge number, never by name.
// Never required ("" is "the unit as a whole").
var TargetKinds = List("target.leadership", "target.staff")

// Target kind codes.
const (
	TargetLeadership = "leadership"
	TargetStaff      = "staff"
)

// Channels are the ways an opinion reaches the portal (收集渠道), so the monthly figures count
// every channel. web and qr come from the public form; kiosk from the hall terminal; the rest
// are typed in by staff from paper or a call (Transcribed).
// The channels from email on are those of feature 9 the first console lacked: e-mail, 暗访 /
// 督导检查 (inspection, which the supervision group enters, feature 44), media, 信访, 谈心谈话,
// 入户走访, and the paper form's slips (征求意见表).
var Channels = List("channel.web", "channel.qr", "channel.kiosk", "channel.box", "channel.letter",
	"channel.phone", "channel.sms", "channel.forum", "channel.visit", "channel.questionnaire",
	"channel.evaluation", "channel.email", "channel.inspection", "channel.media", "channel.petition",
	"channel.talk", "channel.home_visit", "channel.paper")

// DescribeTarget says whom an opinion names, in p's language, the same on the item page and in
// the exports: "某位工作人员（岗位：收费窗口、工号：A0123）"; "" when it names nobody.
func DescribeTarget(p *locale.Printer, kind, post, badge string) string {
	if kind == "" {
		return ""
	}
	var parts []string
	if post != "" {
		parts = append(parts, p.T("form16.target_post_short", post))
	}
	if badge != "" {
		parts = append(parts, p.T("form16.target_badge_short", badge))
	}
	text := LabelIn(p, TargetKinds, kind)
	if len(parts) > 0 {
		text += p.T("form16.target_details", strings.Join(parts, p.T("submit.list_separator")))
	}
	return text
}

// InspectionChannel is the channel of the supervision group's findings (暗访 / 督导检查).
const InspectionChannel = "inspection"

// Transcribed reports whether staff may enter an opinion of channel code by hand: every
// channel but those a person or a terminal submits directly (web, qr, kiosk).
func Transcribed(code string) bool {
	return code != "web" && code != "qr" && code != "kiosk" && Valid(Channels, code)
}

// LabelIn returns the label of code in terms in the printer's language, or the code itself
// when it is unknown.
func LabelIn(p *locale.Printer, terms []Term, code string) string {
	for _, t := range terms {
		if t.Code == code {
			return t.In(p)
		}
	}
	return code
}

// Valid reports whether code is one of terms.
func Valid(terms []Term, code string) bool {
	for _, t := range terms {
		if t.Code == code {
			return true
		}
	}
	return false
}
