// Package vocab holds the fixed words of an opinion: what kind of opinion it is and who wrote it.
// The codes are a contract (form values, database CHECKs, exports); the labels are what people read.
package vocab

// Term pairs a stable code with its Chinese label.
type Term struct {
	Code  string
	Label string
}

// Types are the kinds of opinion a person can leave, in the order the form shows them.
var Types = []Term{
	{"opinion", "意见"},
	{"suggestion", "建议"},
	{"complaint", "投诉"},
	{"report", "举报"},
	{"praise", "表扬"},
}

// Submitters are who a person says they are, in the order the form shows them.
var Submitters = []Term{
	{"patient", "患者"},
	{"family", "家属"},
	{"staff", "职工"},
	{"public", "群众"},
	{"other", "其他"},
}

// Channels are the ways an opinion reaches the portal (收集渠道), so the monthly figures count
// every channel. web and qr come from the public form; kiosk from the hall terminal; the rest
// are typed in by staff from paper or a call (Transcribed).
var Channels = []Term{
	{"web", "网上留言"},
	{"qr", "扫码留言"},
	{"kiosk", "自助留言机"},
	{"box", "意见箱"},
	{"letter", "信函"},
	{"phone", "电话"},
	{"sms", "短信"},
	{"forum", "座谈会"},
	{"visit", "走访"},
	{"questionnaire", "问卷"},
	{"evaluation", "民主评议"},
}

// Transcribed reports whether staff may enter an opinion of channel code by hand: every
// channel but those a person or a terminal submits directly (web, qr, kiosk).
func Transcribed(code string) bool {
	return code != "web" && code != "qr" && code != "kiosk" && Valid(Channels, code)
}

// Label returns the label of code in terms, or the code itself when it is unknown,
// so an old code never renders as an empty cell.
func Label(terms []Term, code string) string {
	for _, t := range terms {
		if t.Code == code {
			return t.Label
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
