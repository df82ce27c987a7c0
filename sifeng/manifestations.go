package sifeng

import "minsheng/locale"

// Manifestation is one concrete form a style takes, as the seeds' campaign documents list it;
// the democratic evaluation form (民主评议表) offers them as checkboxes under each style.
type Manifestation struct {
	Code  string // stable ASCII, "<style>-<word>": stored with answers, never renamed
	Style string // the style's code
	Key   string // the catalog key of its words (package locale)
	Label string // its words in the default language, zh-CN
}

// In returns the manifestation's words in the printer's language.
func (m Manifestation) In(p *locale.Printer) string { return p.T(m.Key) }

// Manifestations lists every manifestation, grouped by style in the order of Styles. Codes are
// stored with answers: add new ones freely, but never rename or reuse one.
var Manifestations = withLabels([]Manifestation{
	{Code: "formalism-unsolid", Style: "formalism", Key: "manifestation.formalism-unsolid"},
	{Code: "formalism-falsify", Style: "formalism", Key: "manifestation.formalism-falsify"},
	{Code: "formalism-meetings", Style: "formalism", Key: "manifestation.formalism-meetings"},
	{Code: "formalism-perfunctory", Style: "formalism", Key: "manifestation.formalism-perfunctory"},
	{Code: "formalism-goodnews", Style: "formalism", Key: "manifestation.formalism-goodnews"},
	{Code: "formalism-vanity", Style: "formalism", Key: "manifestation.formalism-vanity"},
	{Code: "formalism-festivities", Style: "formalism", Key: "manifestation.formalism-festivities"},

	{Code: "bureaucratism-hard", Style: "bureaucratism", Key: "manifestation.bureaucratism-hard"},
	{Code: "bureaucratism-buckpassing", Style: "bureaucratism", Key: "manifestation.bureaucratism-buckpassing"},
	{Code: "bureaucratism-slow", Style: "bureaucratism", Key: "manifestation.bureaucratism-slow"},
	{Code: "bureaucratism-aloof", Style: "bureaucratism", Key: "manifestation.bureaucratism-aloof"},
	{Code: "bureaucratism-cold", Style: "bureaucratism", Key: "manifestation.bureaucratism-cold"},
	{Code: "bureaucratism-undemocratic", Style: "bureaucratism", Key: "manifestation.bureaucratism-undemocratic"},
	{Code: "bureaucratism-disobey", Style: "bureaucratism", Key: "manifestation.bureaucratism-disobey"},
	{Code: "bureaucratism-arbitrary", Style: "bureaucratism", Key: "manifestation.bureaucratism-arbitrary"},

	{Code: "hedonism-lazy", Style: "hedonism", Key: "manifestation.hedonism-lazy"},
	{Code: "hedonism-absent", Style: "hedonism", Key: "manifestation.hedonism-absent"},
	{Code: "hedonism-drinking", Style: "hedonism", Key: "manifestation.hedonism-drinking"},
	{Code: "hedonism-complacent", Style: "hedonism", Key: "manifestation.hedonism-complacent"},
	{Code: "hedonism-privilege", Style: "hedonism", Key: "manifestation.hedonism-privilege"},
	{Code: "hedonism-housing", Style: "hedonism", Key: "manifestation.hedonism-housing"},

	{Code: "extravagance-banquets", Style: "extravagance", Key: "manifestation.extravagance-banquets"},
	{Code: "extravagance-receptions", Style: "extravagance", Key: "manifestation.extravagance-receptions"},
	{Code: "extravagance-threepublic", Style: "extravagance", Key: "manifestation.extravagance-threepublic"},
	{Code: "extravagance-cars", Style: "extravagance", Key: "manifestation.extravagance-cars"},
	{Code: "extravagance-slushfund", Style: "extravagance", Key: "manifestation.extravagance-slushfund"},
	{Code: "extravagance-waste", Style: "extravagance", Key: "manifestation.extravagance-waste"},
})

// withLabels fills each manifestation's zh-CN label from the catalog.
func withLabels(ms []Manifestation) []Manifestation {
	zh := locale.Get(locale.Default)
	for i := range ms {
		ms[i].Label = zh.T(ms[i].Key)
	}
	return ms
}

// ManifestationsOf returns the manifestations of one style, in display order; none for an
// unknown style.
func ManifestationsOf(style string) []Manifestation {
	var out []Manifestation
	for _, m := range Manifestations {
		if m.Style == style {
			out = append(out, m)
		}
	}
	return out
}

// ValidManifestation reports whether code names a manifestation.
func ValidManifestation(code string) bool {
	_, ok := findManifestation(code)
	return ok
}

// ManifestationLabel returns the Chinese words of a manifestation code, or the code itself when
// unknown.
func ManifestationLabel(code string) string {
	if m, ok := findManifestation(code); ok {
		return m.Label
	}
	return code
}

// StyleOf returns the style code a manifestation code belongs to, or "" when unknown.
func StyleOf(code string) string {
	if m, ok := findManifestation(code); ok {
		return m.Style
	}
	return ""
}

func findManifestation(code string) (Manifestation, bool) {
	for _, m := range Manifestations {
		if m.Code == code {
			return m, true
		}
	}
	return Manifestation{}, false
}
