package plan

import (
	"strings"
	"time"
	"unicode/utf8"

	"minsheng/campaign"
	"minsheng/locale"
)

// Limits of what a plan holds (the schema checks them too).
const (
	MaxTitle    = 100   // characters of a title
	MaxBody     = 50000 // characters of the text
	MaxTasks    = 200
	MaxWhat     = 200  // characters of a task's name
	MaxLong     = 1000 // characters of a goal, a commitment, an acceptance standard
	MaxMeasures = 2000
	MaxPost     = 40 // characters of a post or a name
	MaxNote     = 2000
)

// Text is a plan's kind, title and text, as the 活动办 writes them.
type Text struct {
	CampaignID int64
	Kind       string
	Title      string
	Body       string
}

// Normalize trims the title and the text's trailing space.
func (t *Text) Normalize() {
	t.Title = strings.Join(strings.Fields(t.Title), " ")
	t.Body = strings.TrimRight(strings.ReplaceAll(t.Body, "\r\n", "\n"), " \n\t")
}

// Problems returns what is wrong with a normalized text, field → message: campaign, kind,
// title, body.
func (t Text) Problems() locale.Fields {
	p := locale.Fields{}
	if t.CampaignID <= 0 {
		p["campaign"] = locale.M("plan.need_campaign")
	}
	if !ValidKind(t.Kind) {
		p["kind"] = locale.M("plan.need_kind")
	}
	switch n := utf8.RuneCountInString(t.Title); {
	case n == 0:
		p["title"] = locale.M("plan.need_title")
	case n > MaxTitle || !utf8.ValidString(t.Title):
		p["title"] = locale.M("plan.title_too_long", MaxTitle)
	}
	if utf8.RuneCountInString(t.Body) > MaxBody || !utf8.ValidString(t.Body) {
		p["body"] = locale.M("plan.body_too_long", MaxBody)
	}
	return p
}

// Task is one line of a plan's task table, the "三明确一承诺".
type Task struct {
	Seq         int    // its number in the plan, from 1; 0 for a new task
	What        string // the task
	Goal        string // 目标
	Measures    string // 措施
	LeaderPost  string // 责任领导's post, e.g. 分管副院长
	LeaderName  string // the leader's name: shown to the public only with PublishName
	PublishName bool
	Unit        string // 责任部门: a unit's code, "" for none
	UnitName    string // filled on read
	Commitment  string // 公开承诺
	Acceptance  string // 验收标准
	Deadline    string // YYYY-MM-DD or ""
	OpinionID   string // the opinion whose rectification it answers, or ""
	ProblemID   string // the problem (#11) it answers, or ""
}

// Normalize trims every field.
func (t *Task) Normalize() {
	for _, f := range []*string{&t.What, &t.LeaderPost, &t.LeaderName, &t.Unit, &t.Deadline, &t.OpinionID, &t.ProblemID} {
		*f = strings.Join(strings.Fields(*f), " ")
	}
	for _, f := range []*string{&t.Goal, &t.Measures, &t.Commitment, &t.Acceptance} {
		*f = strings.TrimSpace(strings.ReplaceAll(*f, "\r\n", "\n"))
	}
	if t.LeaderName == "" {
		t.PublishName = false
	}
}

// Problems returns what is wrong with a normalized task, field → message: what, goal,
// measures, leader_post, leader_name, commitment, acceptance, deadline.
func (t Task) Problems() locale.Fields {
	p := locale.Fields{}
	switch n := utf8.RuneCountInString(t.What); {
	case n == 0:
		p["what"] = locale.M("plan.task.need_what")
	case n > MaxWhat:
		p["what"] = locale.M("plan.too_long", MaxWhat)
	}
	for field, f := range map[string]struct {
		v   string
		max int
	}{
		"goal": {t.Goal, MaxLong}, "measures": {t.Measures, MaxMeasures}, "leader_post": {t.LeaderPost, MaxPost},
		"leader_name": {t.LeaderName, MaxPost}, "commitment": {t.Commitment, MaxLong}, "acceptance": {t.Acceptance, MaxLong},
	} {
		if utf8.RuneCountInString(f.v) > f.max || !utf8.ValidString(f.v) {
			p[field] = locale.M("plan.too_long", f.max)
		}
	}
	if t.Deadline != "" && !isDate(t.Deadline) {
		p["deadline"] = locale.M("plan.date_format")
	}
	return p
}

// Opening is how a draft is opened for comment: to whom, and for which days.
type Opening struct {
	Scope string
	From  string // YYYY-MM-DD
	To    string
}

// Problems returns what is wrong with an opening on day today, field → message: scope, from,
// to. The period may not end before today.
func (o Opening) Problems(today string) locale.Fields {
	p := locale.Fields{}
	if !campaign.ValidScope(o.Scope) {
		p["scope"] = locale.M("plan.need_scope")
	}
	switch {
	case !isDate(o.From):
		p["from"] = locale.M("plan.date_format")
	case !isDate(o.To):
		p["to"] = locale.M("plan.date_format")
	case o.To < o.From:
		p["to"] = locale.M("plan.period_backwards")
	case o.To < today:
		p["to"] = locale.M("plan.period_past")
	}
	return p
}

// Publication is how an approved plan is published: to whom, and what changed after the
// comments received.
type Publication struct {
	Scope   string
	Changes string
}

// Problems returns what is wrong with a publication, field → message: scope, changes.
func (pub Publication) Problems() locale.Fields {
	p := locale.Fields{}
	if !campaign.ValidScope(pub.Scope) {
		p["scope"] = locale.M("plan.need_scope")
	}
	if utf8.RuneCountInString(pub.Changes) > MaxNote {
		p["changes"] = locale.M("plan.too_long", MaxNote)
	}
	return p
}

// NoteProblems returns what is wrong with the 督导组's note on step action: a return must say
// why; no note may be longer than MaxNote. Field: note.
func NoteProblems(action, note string) locale.Fields {
	p := locale.Fields{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(note)); {
	case action == Return && n == 0:
		p["note"] = locale.M("plan.need_return_note")
	case n > MaxNote:
		p["note"] = locale.M("plan.too_long", MaxNote)
	}
	return p
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil && len(s) == 10
}
