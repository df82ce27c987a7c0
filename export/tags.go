package export

import (
	"strings"

	"minsheng/sifeng"
	"minsheng/storage"
)

// taxonomy is the tag taxonomy (汇总梳理: manifestations under a style, families) as the files
// write it: every tag, retired ones included, since an old opinion keeps a retired tag and the
// counts still count it.
type taxonomy struct {
	tags   []storage.Tag
	byCode map[string]storage.Tag
	label  func(code string) string // a tag's words in the files' language
}

// WithTags returns the files told the taxonomy: tags are storage.Tags (retired ones included),
// label a tag's words in the files' language (the handler's, which knows the reader). The
// opinion rows then name their manifestations and families, and sheet "统计" counts them. Files
// not told write tag codes as they are and no tag counts.
func (f Files) WithTags(tags []storage.Tag, label func(code string) string) Files {
	t := &taxonomy{tags: tags, byCode: make(map[string]storage.Tag, len(tags)), label: label}
	for _, g := range tags {
		t.byCode[g.Code] = g
	}
	f.tax = t
	return f
}

// kindOf is the kind of the tag code: a manifestation or a family. A code the files were not
// told about counts as a family, the column for whatever is not under a style.
func (f Files) kindOf(code string) string {
	if f.tax != nil {
		if g, ok := f.tax.byCode[code]; ok {
			return g.Kind
		}
	}
	return storage.TagFamily
}

// tagLabel is a tag's words in the files' language, its code when the files do not know it.
func (f Files) tagLabel(code string) string {
	if f.tax == nil || f.tax.label == nil {
		return code
	}
	return f.tax.label(code)
}

// tagLabels joins the words of the tags of one kind among codes (an opinion's Tags, in the
// taxonomy's order) as the language joins a list; "" when it has none of that kind.
func (f Files) tagLabels(codes []string, kind string) string {
	var labels []string
	for _, c := range codes {
		if f.kindOf(c) == kind {
			labels = append(labels, f.tagLabel(c))
		}
	}
	return strings.Join(labels, f.p.T("export.list_separator"))
}

// natures and reaches are feature 30's attribute flags, in the order the counts list them.
var (
	natures = []flag{{storage.NatureConduct, "report_tags.nature_conduct"}, {storage.NatureWork, "report_tags.nature_work"}}
	reaches = []flag{{storage.ReachCommon, "report_tags.reach_common"}, {storage.ReachIndividual, "report_tags.reach_individual"}}
)

// flag is one value of an attribute flag and the catalog key of its words.
type flag struct{ code, key string }

// flagLabel is the words of code among flags: "" for an opinion not yet marked, the code
// itself for one the files do not know.
func (f Files) flagLabel(flags []flag, code string) string {
	if code == "" {
		return ""
	}
	for _, fl := range flags {
		if fl.code == code {
			return f.p.T(fl.key)
		}
	}
	return code
}

// tagTally counts the taxonomy's two flags for sheet "统计" (the tags themselves are counted by
// package stats): opinions by nature (共性/个性) and by reach, "" for those not marked.
type tagTally struct {
	natures map[string]int
	reaches map[string]int
}

func newTagTally() tagTally {
	return tagTally{natures: map[string]int{}, reaches: map[string]int{}}
}

// add counts o once in each flag.
func (t tagTally) add(o storage.Opinion) {
	t.natures[o.Nature]++
	t.reaches[o.Reach]++
}

// rows lays the tag counts out as four more blocks of sheet "统计", after the others: by
// manifestation (each under its style, in the taxonomy's order), by family, by nature and by
// reach. A tag in use is listed with a zero too, so a month's sheets line up side by side; a
// retired one only when this export counts it, marked as retired. Nothing when the files were
// not told the taxonomy.
func (f Files) tagRows(tags map[string]int, t tagTally) [][]any {
	if f.tax == nil {
		return nil
	}
	p := f.p
	out := [][]any{nil, {p.T("column.manifestations")}}
	for _, st := range sifeng.Styles {
		for _, g := range f.tax.tags {
			if g.Kind == storage.TagManifestation && g.Style == st.Code {
				if row := f.tagRow(g, tags[g.Code], st.In(p)); row != nil {
					out = append(out, row)
				}
			}
		}
	}
	out = append(out, nil, []any{p.T("column.families")})
	for _, g := range f.tax.tags {
		if g.Kind == storage.TagFamily {
			if row := f.tagRow(g, tags[g.Code]); row != nil {
				out = append(out, row)
			}
		}
	}
	out = append(out, nil, []any{p.T("column.nature")})
	out = append(out, f.flagRows(natures, t.natures)...)
	out = append(out, nil, []any{p.T("column.reach")})
	return append(out, f.flagRows(reaches, t.reaches)...)
}

// tagRow is the row of one tag: before its words, what it is under (its style); nil for a
// retired tag that this export does not count.
func (f Files) tagRow(g storage.Tag, n int, under ...any) []any {
	if g.Retired() && n == 0 {
		return nil
	}
	words := Neutralise(f.tagLabel(g.Code)) // the admin's words: as careful as any staff input
	if g.Retired() {
		words = f.p.T("report_tags.retired", words)
	}
	return append(under, words, n)
}

// flagRows lists every value of a flag and then the opinions not marked.
func (f Files) flagRows(flags []flag, counts map[string]int) [][]any {
	var out [][]any
	for _, fl := range flags {
		out = append(out, []any{f.p.T(fl.key), counts[fl.code]})
	}
	return append(out, []any{f.p.T("export.counts_untagged"), counts[""]})
}
