// Package notify sends what the outbox holds (storage.ClaimDeliveries): e-mail through the SMTP
// server the admin configured, and posts to units' WeCom or DingTalk group robots. A message
// says the kind of event, the unit, the deadline and a link, never an opinion's words, contact
// or a 举报's subject: it is made from storage.OutboxItem, which holds nothing else.
package notify

import (
	"sort"
	"strings"

	"minsheng/locale"
	"minsheng/storage"
)

// kindKeys are the catalog keys of the kinds, written out whole (the catalog's tests find them).
var kindKeys = map[string]string{
	storage.EventAssigned:          "notifykind.assigned",
	storage.EventDeadlineSoon:      "notifykind.deadline_soon",
	storage.EventDeadlineToday:     "notifykind.deadline_today",
	storage.EventOverdue:           "notifykind.overdue",
	storage.EventLookBackDue:       "notifykind.lookback_due",
	storage.EventHotSpot:           "notifykind.hot_spot",
	storage.EventNewOpinion:        "notifykind.new_opinion",
	storage.EventReport:            "notifykind.report",
	storage.EventDissatisfied:      "notifykind.dissatisfied",
	storage.EventSubmitterAnswered: "notifykind.submitter_answered",
}

func kindLabel(p *locale.Printer, kind string) string {
	if key, ok := kindKeys[kind]; ok {
		return p.T(key)
	}
	return p.T("notifykind.unknown")
}

// compose returns the subject and the text of d in the recipient's language. base is the
// portal's address for the links ("" gives paths alone).
func compose(d storage.Delivery, base string) (subject, text string) {
	p := locale.Get(d.Lang)
	base = strings.TrimSuffix(base, "/")
	var lines []string
	for _, it := range d.Items {
		if it.Kind == "digest" {
			kinds := make([]string, 0, len(it.Counts))
			for k := range it.Counts {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			lines = append(lines, p.T("notifymsg.digest_head"))
			for _, k := range kinds {
				lines = append(lines, p.T("notifymsg.digest_line", kindLabel(p, k), p.Number(it.Counts[k])))
			}
			lines = append(lines, p.T("notifymsg.link", base+"/admin/inbox"))
			continue
		}
		line := kindLabel(p, it.Kind)
		if it.UnitName != "" {
			line = p.T("notifymsg.with_unit", line, it.UnitName)
		}
		if it.Kind == storage.EventHotSpot {
			// A hot spot's "deadline" is the last day its figures count; the link opens the
			// unit's dashboard of that month, where the warning is stated with its rule.
			lines = append(lines, p.T("notifymsg.hotspot_through", line, it.Deadline))
			if it.EventUnit != "" && len(it.Deadline) >= 7 {
				lines = append(lines, p.T("notifymsg.link", base+"/admin/dashboard/"+it.EventUnit+"?month="+it.Deadline[:7]))
			}
			continue
		}
		if it.Deadline != "" {
			line = p.T("notifymsg.with_deadline", line, it.Deadline)
		}
		lines = append(lines, line)
		switch {
		case it.OpinionID != "":
			lines = append(lines, p.T("notifymsg.link", base+"/admin/opinions/"+it.OpinionID))
		case it.Kind == storage.EventLookBackDue:
			// A campaign's 回头看 day (storage.SweepLookBacks): its review list.
			lines = append(lines, p.T("notifymsg.link", base+"/admin/lookback"))
		}
	}
	subject = p.T("notifymsg.subject", p.Number(len(d.Items)))
	if len(d.Items) == 1 && d.Items[0].Kind != "digest" {
		subject = p.T("notifymsg.subject_one", kindLabel(p, d.Items[0].Kind))
	}
	return subject, strings.Join(lines, "\n")
}
