package lifecycle

// Term pairs a stable code with its Chinese label.
type Term struct {
	Code  string
	Label string
}

// Kinds of rectification (整改方式), chosen when work starts.
var Kinds = []Term{
	{"immediate", "立行立改"},
	{"timed", "限期整改"},
	{"planned", "列入计划、逐步解决"},
	{"referred", "已移交"},
}

// KindPlanned must carry an explanation the public can read: why it cannot be fixed now.
const KindPlanned = "planned"

// KindReferred goes to the discipline commission or a higher authority, named in the note.
const KindReferred = "referred"

// Levels say whose problem it is (问题层次).
var Levels = []Term{
	{"individual", "个人"},
	{"department", "科室"},
	{"leadership", "领导班子"},
	{"combined", "多部门综合"},
}

// Ledgers are the three rectification ledgers (整改台账).
var Ledgers = []Term{
	{"problem", "具体问题整改"},
	{"special", "专项整治"},
	{"system", "制度建设"},
}

// Ratings are the submitter's answers when asked whether they are satisfied.
var Ratings = []Term{
	{"satisfied", "满意"},
	{"basically", "基本满意"},
	{"dissatisfied", "不满意"},
}

// RatingDissatisfied reopens the work (补课返工).
const RatingDissatisfied = "dissatisfied"

// Checks are the results of checking reported work: 核验, the office reads the unit's account
// (已整改待核验 → 回头看, or back to 整改中), and 回头看, the look-back on the spot (→ 满意度回访,
// or back to 整改中).
var Checks = []Term{
	{CheckVerified, "核验通过"},
	{CheckUnverified, "核验未通过"},
	{CheckPassed, "回头看通过"},
	{CheckFailed, "回头看未通过"},
}

// Check result codes, stored with the rectification.
const (
	CheckVerified   = "verified"
	CheckUnverified = "unverified"
	CheckPassed     = "passed"
	CheckFailed     = "failed"
)

// CheckOf is the check result a move records, "" for a move that checks nothing.
func CheckOf(from, to string) string {
	switch {
	case from == Reported && to == LookBack:
		return CheckVerified
	case from == Reported && to == Rectifying:
		return CheckUnverified
	case from == LookBack && to == Satisfaction:
		return CheckPassed
	case from == LookBack && to == Rectifying:
		return CheckFailed
	}
	return ""
}

// TermLabel returns the label of code in terms, or the code itself when unknown.
func TermLabel(terms []Term, code string) string {
	for _, t := range terms {
		if t.Code == code {
			return t.Label
		}
	}
	return code
}

// ValidTerm reports whether code is one of terms.
func ValidTerm(terms []Term, code string) bool {
	for _, t := range terms {
		if t.Code == code {
			return true
		}
	}
	return false
}
