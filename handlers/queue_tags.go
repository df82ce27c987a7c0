package handlers

import (
	"strconv"
	"strings"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/suggest"
)

// The queue's use of the taxonomy (汇总梳理): the tag filter and the bulk tag's choices, each
// row's tags, and the suggested styles of an opinion not yet sorted.

// tagOption is one tag in a select.
type tagOption struct{ Code, Label string }

// tagOptgroup is one <optgroup> of a tag select.
type tagOptgroup struct {
	Label string
	Tags  []tagOption
}

// tagOptgroups are the tags in use for a select: each style's manifestations under the style's
// name, then the families. With retired, a last group holds the retired tags, each marked so:
// old opinions still carry them, so the filter must still find them.
func (t taxonomy) tagOptgroups(retired bool) []tagOptgroup {
	var groups []tagOptgroup
	add := func(label string, tags []storage.Tag, word func(storage.Tag) string) {
		g := tagOptgroup{Label: label}
		for _, tag := range tags {
			g.Tags = append(g.Tags, tagOption{Code: tag.Code, Label: word(tag)})
		}
		if len(g.Tags) > 0 {
			groups = append(groups, g)
		}
	}
	plain := func(g storage.Tag) string { return t.Label(g.Code) }
	for _, st := range sifeng.Styles {
		add(st.In(t.p), t.Manifestations(st.Code), plain)
	}
	add(t.p.T("queue_tags.families"), t.Families(), plain)
	if retired {
		var old []storage.Tag
		for _, g := range t.Tags {
			if g.Retired() {
				old = append(old, g)
			}
		}
		add(t.p.T("queue_tags.retired"), old, func(g storage.Tag) string {
			return t.p.T("queue_tags.retired_option", t.Label(g.Code))
		})
	}
	return groups
}

// inUse reports whether code is a tag that may be given today.
func (t taxonomy) inUse(code string) bool {
	g, ok := t.byCode[code]
	return ok && !g.Retired()
}

// knownTag drops from f a tag code the taxonomy does not hold, as the queue drops any unknown
// value: the queue then shows, rather than an empty list for a mistyped link.
func (t taxonomy) knownTag(f storage.OpinionFilter) storage.OpinionFilter {
	if _, ok := t.byCode[f.Tag]; !ok {
		f.Tag = ""
	}
	return f
}

// tagShaped reports whether code could be a tag's code (the tags table's CHECK), so that a
// filter read from a URL holds nothing else even before the taxonomy is read.
func tagShaped(code string) bool {
	if code == "" || len(code) > 40 || code[0] < 'a' || code[0] > 'z' {
		return false
	}
	return strings.Trim(code, "abcdefghijklmnopqrstuvwxyz0123456789_-") == ""
}

// validNature and validReach accept feature 30's flags, or "" (no filter).
func validNature(v string) bool {
	return v == "" || v == storage.NatureConduct || v == storage.NatureWork
}

func validReach(v string) bool {
	return v == "" || v == storage.ReachCommon || v == storage.ReachIndividual
}

// tagChip is a tag an opinion carries, as its queue row shows it.
type tagChip struct {
	Code, Label string
	Retired     bool
}

func (t taxonomy) chips(codes []string) []tagChip {
	var out []tagChip
	for _, c := range codes {
		g := t.byCode[c]
		out = append(out, tagChip{Code: c, Label: t.Label(c), Retired: g.Retired()})
	}
	return out
}

// suggestionChip is a style the model suggests for an opinion, with a one-click accept.
type suggestionChip struct {
	Code, Label string
	Score       string // 0.00–1.00, as `minsheng suggest` writes it
	// Title says what a click does and which words of the text drove the suggestion. The
	// button's name stays its visible words (label and score), as WCAG's "label in name" asks.
	Title string
}

// queueRows are the opinions of a queue page as v reads them, with their tags and suggestions.
func (s *Server) queueRows(p *locale.Printer, v access.Viewer, tax taxonomy, ops []storage.Opinion) []queueRow {
	var rows []queueRow
	for _, o := range ops {
		o = o.SeenBy(v) // an excerpt must not show a phone number either
		row := queueRow{Opinion: o, Due: s.deadline(o.Status, o.Deadline), TagChips: tax.chips(o.Tags)}
		if suggestsFor(v, o) {
			row.Suggestions = s.suggestedChips(p, tax, o.Content)
		}
		rows = append(rows, row)
	}
	return rows
}

// suggestsFor reports whether a row of the queue shows suggestions: to those who may tag, on
// an opinion still 待梳理 with no style yet. Anywhere else they would be noise that teaches
// reviewers to ignore them.
func suggestsFor(v access.Viewer, o storage.Opinion) bool {
	return v.Can(access.Tag) && o.Status == lifecycle.Received && len(o.Styles) == 0
}

// suggestedChips are what the model suggests for text, best first: styles, then the
// manifestations and families, as the item page lists them. Scoring takes well under a
// millisecond, and a queue page holds at most queuePageSize rows.
func (s *Server) suggestedChips(p *locale.Printer, tax taxonomy, text string) []suggestionChip {
	var styles, tags []suggestionChip
	for _, sg := range s.learner.Suggest(text) {
		label := tax.Label(sg.Code)
		if sg.Kind == suggest.KindStyle {
			label = sifeng.LabelIn(p, sg.Code)
		}
		chip := suggestionChip{Code: sg.Code, Label: label, Score: strconv.FormatFloat(sg.Score, 'f', 2, 64)}
		chip.Title = p.T("queue_tags.accept", chip.Label, chip.Score)
		if len(sg.Words) > 0 {
			chip.Title = p.T("queue_tags.accept_because", chip.Label, chip.Score, strings.Join(sg.Words, p.T("queue_tags.word_separator")))
		}
		if sg.Kind == suggest.KindStyle {
			styles = append(styles, chip)
		} else {
			tags = append(tags, chip)
		}
	}
	return append(styles, tags...)
}
