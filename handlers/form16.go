package handlers

import (
	"strings"
	"unicode/utf8"

	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// Who speaks and about whom (#16, features 2 and 5): the fields the public form, the kiosk and
// the transcription console share beside opinionFields.
//
// It is exported so that Echo binds the fields of the forms that embed it.
//
// Decisions: the segment field is always on the form (no script: the form works with
// JavaScript off), described "职工填写"; a segment given by anyone but a staff member is refused
// with a message next to it (words kept, 422) rather than dropped unseen, so that nothing the
// person chose is silently changed. A post or badge with no kind chosen is refused the same way:
// the form cannot guess whether 院长 is a leader or a staff member's post.
type WhoAbout struct {
	Segment     string `form:"segment"`      // vocab.Segments code, "" for none
	TargetKind  string `form:"target_kind"`  // vocab.TargetKinds code, "" for the unit as a whole
	TargetPost  string `form:"target_post"`  // 院长, 收费窗口…
	TargetBadge string `form:"target_badge"` // 工号 on the badge (挂牌上岗)
}

// Limits of the target's fields, in characters (the database CHECKs say the same).
const (
	maxTargetPost  = 40
	maxTargetBadge = 20
)

// normalise trims the fields; a badge typed in full-width characters (an input method's
// "０１２３") becomes ASCII, and its letters capitals, so that one badge is written one way.
func (w *WhoAbout) normalise() {
	w.Segment = strings.TrimSpace(w.Segment)
	w.TargetKind = strings.TrimSpace(w.TargetKind)
	w.TargetPost = strings.TrimSpace(w.TargetPost)
	w.TargetBadge = strings.ToUpper(strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		if r == '\u3000' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(w.TargetBadge)))
}

// problems returns a message for each of the fields that is wrong, submitter being the
// vocab.Submitters code chosen on the same form.
func (w WhoAbout) problems(submitter string) locale.Fields {
	errs := locale.Fields{}
	switch {
	case w.Segment == "":
	case !vocab.Valid(vocab.Segments, w.Segment):
		errs["segment"] = locale.M("form16.segment_unknown")
	case submitter != vocab.StaffSubmitter:
		errs["segment"] = locale.M("form16.segment_not_staff")
	}
	if w.TargetKind != "" && !vocab.Valid(vocab.TargetKinds, w.TargetKind) {
		errs["target_kind"] = locale.M("form16.target_unknown")
	} else if w.TargetKind == "" && (w.TargetPost != "" || w.TargetBadge != "") {
		errs["target_kind"] = locale.M("form16.target_needs_kind")
	}
	if m := textProblem(w.TargetPost, 0, maxTargetPost); m.Key != "" {
		errs["target_post"] = fieldProblem("form16.target_post_field", m)
	}
	if !validBadge(w.TargetBadge) {
		errs["target_badge"] = locale.M("form16.badge_bad", maxTargetBadge)
	}
	return errs
}

// validBadge: at most maxTargetBadge digits and Latin letters, or nothing.
func validBadge(b string) bool {
	if utf8.RuneCountInString(b) > maxTargetBadge {
		return false
	}
	for _, r := range b {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// target is the storage form of the fields.
func (w WhoAbout) target() storage.Target {
	return storage.Target{Kind: w.TargetKind, Post: w.TargetPost, Badge: w.TargetBadge}
}

// targetText says whom an opinion names in p's language (vocab.DescribeTarget).
func targetText(p *locale.Printer, t storage.Target) string {
	return vocab.DescribeTarget(p, t.Kind, t.Post, t.Badge)
}
