package lifecycle

import "minsheng/vocab"

// Term is the one code → label type, vocab's: a stable code with its label in each language.
type Term = vocab.Term

// Kinds of rectification (整改方式), chosen when work starts.
var Kinds = vocab.List("kind.immediate", "kind.timed", "kind.planned", "kind.referred")

// KindPlanned must carry an explanation the public can read: why it cannot be fixed now.
const KindPlanned = "planned"

// KindReferred goes to the discipline commission or a higher authority, named in the note.
const KindReferred = "referred"

// Levels say whose problem it is (问题层次).
var Levels = vocab.List("level.individual", "level.department", "level.leadership", "level.combined")

// Ledgers are the three rectification ledgers (整改台账).
var Ledgers = vocab.List("ledger.problem", "ledger.special", "ledger.system")

// Ratings are the submitter's answers when asked whether they are satisfied.
var Ratings = vocab.List("rating.satisfied", "rating.basically", "rating.dissatisfied")

// RatingDissatisfied reopens the work (补课返工).
const RatingDissatisfied = "dissatisfied"

// Checks are the results of checking reported work: 核验, the office reads the unit's account
// (已整改待核验 → 回头看, or back to 整改中), and 回头看, the look-back on the spot (→ 满意度回访,
// or back to 整改中).
var Checks = vocab.List("check.verified", "check.unverified", "check.passed", "check.failed")

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

// ValidTerm reports whether code is one of terms.
func ValidTerm(terms []Term, code string) bool {
	for _, t := range terms {
		if t.Code == code {
			return true
		}
	}
	return false
}
