package handlers

import (
	"strings"

	"minsheng/storage"
	"minsheng/vocab"
)

// notifyChannels are the channels as staff read them.
var notifyChannels = vocab.List("notifychannel.inbox", "notifychannel.email", "notifychannel.webhook")

// choiceRow is one kind of event with a box per channel, for the preferences grids.
type choiceRow struct {
	Kind   vocab.Term
	Public bool // sent only in the daily digest
	Daily  bool // found once a day in the figures up to yesterday (the hot spot)
	Boxes  []choiceBox
}

type choiceBox struct {
	Value   string // the form value: kind, a dot, channel
	Channel vocab.Term
	On      bool
}

// choiceGrid lays c out as rows, staff-caused kinds first.
func choiceGrid(c storage.Choices) []choiceRow {
	var rows []choiceRow
	for _, kind := range append(append([]string{}, storage.StaffKinds...), storage.PublicKinds...) {
		row := choiceRow{Kind: kindTerm(kind), Public: storage.PublicKind(kind), Daily: kind == storage.EventHotSpot}
		for _, ch := range notifyChannels {
			row.Boxes = append(row.Boxes, choiceBox{Value: kind + "." + ch.Code, Channel: ch, On: c[kind][ch.Code]})
		}
		rows = append(rows, row)
	}
	return rows
}

// choicesFrom reads the ticked boxes (kind, a dot, channel) as a whole set: every kind and channel,
// off unless ticked. Unknown values are reported, not stored.
func choicesFrom(ticked []string) (storage.Choices, bool) {
	c := storage.Choices{}
	for _, kind := range append(append([]string{}, storage.StaffKinds...), storage.PublicKinds...) {
		c[kind] = map[string]bool{}
		for _, ch := range storage.Channels {
			c[kind][ch] = false
		}
	}
	for _, v := range ticked {
		kind, ch, ok := strings.Cut(v, ".")
		if _, known := c[kind][ch]; !ok || !known {
			return nil, false
		}
		c[kind][ch] = true
	}
	return c, true
}

// notifyAuditTerms are the words of the notification settings' audit actions.
var notifyAuditTerms = vocab.List("audit.notify_prefs", "audit.notify_defaults", "audit.notify_retry",
	"audit.smtp_settings", "audit.unit_webhook")
