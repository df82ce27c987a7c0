// Package sifeng is the taxonomy of the "four styles" (四风) that the activity office sorts
// opinions by. An opinion may carry any number of them, or none.
package sifeng

import "minsheng/locale"

// Style is one of the four styles, with the plain description shown to reviewers. Its words
// are the catalog's (package locale): Key names it, AboutKey describes it; Label and
// Description are both in the default language, zh-CN.
type Style struct {
	Code        string
	Key         string
	AboutKey    string
	Label       string
	Description string
}

// In returns the style's name in the printer's language.
func (s Style) In(p *locale.Printer) string { return p.T(s.Key) }

// AboutIn returns the style's description in the printer's language.
func (s Style) AboutIn(p *locale.Printer) string { return p.T(s.AboutKey) }

// Styles lists the four styles in their customary order.
var Styles = []Style{
	style("formalism", "sifeng.formalism", "sifeng_about.formalism"),
	style("bureaucratism", "sifeng.bureaucratism", "sifeng_about.bureaucratism"),
	style("hedonism", "sifeng.hedonism", "sifeng_about.hedonism"),
	style("extravagance", "sifeng.extravagance", "sifeng_about.extravagance"),
}

func style(code, key, aboutKey string) Style {
	zh := locale.Get(locale.Default)
	return Style{Code: code, Key: key, AboutKey: aboutKey, Label: zh.T(key), Description: zh.T(aboutKey)}
}

// Valid reports whether code names one of the four styles.
func Valid(code string) bool {
	_, ok := find(code)
	return ok
}

// Label returns the Chinese name of a style code, or the code itself when unknown.
func Label(code string) string {
	if s, ok := find(code); ok {
		return s.Label
	}
	return code
}

// LabelIn returns the name of a style code in the printer's language, or the code itself
// when unknown.
func LabelIn(p *locale.Printer, code string) string {
	if s, ok := find(code); ok {
		return s.In(p)
	}
	return code
}

func find(code string) (Style, bool) {
	for _, s := range Styles {
		if s.Code == code {
			return s, true
		}
	}
	return Style{}, false
}
