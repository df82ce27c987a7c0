// Package sifeng is the taxonomy of the "four styles" (四风) that the activity office sorts
// opinions by. An opinion may carry any number of them, or none.
package sifeng

// Style is one of the four styles, with the plain description shown to reviewers.
type Style struct {
	Code        string
	Label       string
	Description string
}

// Styles lists the four styles in their customary order.
var Styles = []Style{
	{"formalism", "形式主义", "作风不实、弄虚作假、文山会海、走过场"},
	{"bureaucratism", "官僚主义", "门难进、脸难看、事难办，推诿扯皮，对患者冷漠"},
	{"hedonism", "享乐主义", "庸懒散拖、迟到早退、上班干私事、工作日饮酒"},
	{"extravagance", "奢靡之风", "公款吃喝、迎来送往、“三公”经费、铺张浪费"},
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

func find(code string) (Style, bool) {
	for _, s := range Styles {
		if s.Code == code {
			return s, true
		}
	}
	return Style{}, false
}
