package export

// Neutralise returns s made safe for a spreadsheet cell: if s starts with = + - @ TAB or CR it is
// prefixed with a single quote ('), so Excel/WPS never treat it as a formula.
//
// The text is kept, not stripped: a patient may legitimately write "-3天了没人管", and the reviewer
// must still read exactly that. The quote is the convention spreadsheet users already recognise
// as "this is text". TAB and CR are included because some spreadsheet programs skip leading
// whitespace before looking for a formula sign.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
