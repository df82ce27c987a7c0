// Package stats is where the portal counts. Every figure the office reads or sends upward — the
// exports' counts sheet, the /gongshi board, the satisfaction pages, the summary reports and the
// unit dashboards — is defined here once: what is counted, over which opinions, who may see it,
// and how small counts are shown. Storage only runs the queries this package asks for
// (storage.EachFact, storage.EachRating, storage.MonthCounts); handlers and writers only render.
//
// The figures are plain numbers in plain types, so that an issued report can freeze them (JSON)
// and every writer (HTML, .docx, .xlsx) reads the same values.
package stats

import (
	"minsheng/access"
	"minsheng/locale"
	"minsheng/period"
)

// Thresholds of satisfaction the seeds name (requirements §4, seed 002): the target is a rate
// of 90 % or more (患者满意调查满意率达90%以上), so under TargetRate a unit misses it; under
// RedoRate, 85 % (各项满意度没有达到85%以上 is penalised), the 整改 of its dissatisfied items is
// redone (补课) as well. Both in percent; a unit under RedoRate is under TargetRate too.
const (
	TargetRate = 90.0
	RedoRate   = 85.0
)

// Query is what to count: the opinions received in Period (by their day), about Unit and the
// units under it ("" for the whole system), that Viewer may open.
type Query struct {
	Period period.Period
	Unit   string
	// Campaign (0: any) counts only the opinions that arrived in that campaign, Phase (0: all)
	// in that phase of it; Period still bounds the days (a campaign's or a phase's dates).
	Campaign int64
	Phase    int
	// Viewer decides the scope, as in the queue: 举报 only for 纪检, a liaison's unit only.
	// The zero Viewer has no role and counts nothing: every caller names its reader (the
	// report command counts as the office does, storage's scope of its role and mailboxes).
	Viewer access.Viewer
	// Public counts for the public board (/gongshi): no 举报, no letter to a discipline mailbox,
	// whatever Viewer says; small counts are suppressed by the caller with Disclose.
	Public bool
	// Today (YYYY-MM-DD) decides what is overdue and by how many days.
	Today string
	// Printer is the language Omitted is written in; nil: the default language (zh-CN). The
	// figures hold no other words: renderers write codes and numbers in their reader's language.
	Printer *locale.Printer `json:"-"`
	// chunkDays (0: defaultChunkDays) is the span each connection reads; the tests set it.
	chunkDays int
}

// Count is one labelled figure: a code (a vocab, lifecycle, sifeng or tag code, a unit code, a
// month) and how many. Lists of Counts keep the order of their vocabulary, zeros included, so
// that two periods line up row by row.
type Count struct {
	Code string `json:"code"`
	N    int    `json:"n"`
}

// Figures are the counts of one Query.
type Figures struct {
	Period period.Period `json:"period"`
	Unit   string        `json:"unit,omitempty"`
	// Omitted says, in the reader's words, what this reader's scope leaves out (e.g. 举报):
	// access.Viewer.OmittedIn for staff, the public rule's own sentence for Query.Public.
	Omitted string `json:"omitted,omitempty"`

	Total       int           `json:"total"`
	ByChannel   []Count       `json:"by_channel"`   // vocab.Channels order
	ByType      []Count       `json:"by_type"`      // vocab.Types order (report only in 纪检's scope)
	BySubmitter []Count       `json:"by_submitter"` // vocab.Submitters order
	ByStyle     []Count       `json:"by_style"`     // sifeng.Styles order; an opinion counts once per style it carries
	Untagged    int           `json:"untagged"`     // opinions without any style yet
	ByTag       []Count       `json:"by_tag"`       // manifestation and family tags, taxonomy order, only tags used
	ByStatus    []Count       `json:"by_status"`    // lifecycle.Statuses order
	ByLevel     []Count       `json:"by_level"`     // lifecycle.Levels order (问题层次), set at triage
	ByUnit      []UnitFigures `json:"by_unit"`      // units with at least one opinion, tree order
	TopDepts    []DeptCount   `json:"top_depts"`    // the 科室 named most often, most first, at most 10

	Problems []ProblemCount `json:"problems"` // problems (问题) raised by two or more people, most first, at most 10

	Rectification Rectification `json:"rectification"`
	Satisfaction  Satisfaction  `json:"satisfaction"`
	// Conversation is the conversation with the submitters in the period (#13), counted by
	// the day of each message.
	Conversation Conversation `json:"conversation"`
	// Symposia are the meetings (座谈会) held in the period, nil when none was.
	Symposia *Symposia `json:"symposia,omitempty"`
	// Reports are the 举报 figures; nil unless the viewer is 纪检 (the report then says so).
	Reports *Reports `json:"reports,omitempty"`
	// Accountability counts the accountability decisions (追责问责) taken in the period by
	// measure (vocab.Measures order, zeros included), for the readers of those records
	// (access.Accountability: administrators, without those about 举报; discipline, all); nil
	// for every other reader and on the public board.
	Accountability []Count `json:"accountability,omitempty"`
	// Trend is the count per month of the 12 months ending with the period's last month. In a
	// Comparison only Current has one (a report draws one trend); Previous and LastYear's is nil.
	Trend []Count `json:"trend"`
}

// UnitFigures is one unit's line.
type UnitFigures struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Total    int     `json:"total"`
	ByStyle  []Count `json:"by_style"` // sifeng.Styles order
	Untagged int     `json:"untagged"`
	Open     int     `json:"open"`    // rectifications still open (lifecycle.Open)
	Overdue  int     `json:"overdue"` // open and past the deadline on Query.Today
}

// DeptCount is a 科室 (free text on the form, as written) within a unit.
type DeptCount struct {
	Unit string `json:"unit"` // unit code
	Dept string `json:"dept"`
	N    int    `json:"n"`
}

// ProblemCount is a problem (问题) and how many of the period's opinions belong to it.
type ProblemCount struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	N     int    `json:"n"`
}

// Rectification counts the period's opinions that reached 整改 (a rectification was assigned).
type Rectification struct {
	Assigned int     `json:"assigned"`
	ByLedger []Count `json:"by_ledger"` // lifecycle.Ledgers order
	ByKind   []Count `json:"by_kind"`   // lifecycle.Kinds order: 立行立改 / 限期整改 / 列入计划 / 移交
	Closed   int     `json:"closed"`    // 已销号
	Done     int     `json:"done"`      // reported done or further (已整改待核验 and after), closed included
	Open     int     `json:"open"`      // not yet done
	Deferred int     `json:"deferred"`  // kind 列入计划
	Referred int     `json:"referred"`  // kind 移交
	Overdue  []Late  `json:"overdue"`   // open past deadline on Query.Today, most days first, at most MaxListed
	// OverdueCount is every open rectification past its deadline on Query.Today.
	OverdueCount int      `json:"overdue_count"`
	LookBack     LookBack `json:"look_back"`
}

// Late is one overdue rectification.
type Late struct {
	ID       string `json:"id"`
	Unit     string `json:"unit"` // lead unit code
	Deadline string `json:"deadline"`
	Days     int    `json:"days"` // calendar days past the deadline
}

// LookBack is the result of 回头看 for the period's rectifications.
type LookBack struct {
	Passed int `json:"passed"`
	Failed int `json:"failed"`
	// Lagging are those whose latest check failed, with the cause staff recorded (the
	// rectification's note): the report lists them with their causes. At most MaxListed, in
	// tree order of their lead unit; Failed counts them all.
	Lagging []Lagging `json:"lagging"`
}

// Lagging is one rectification that failed its check.
type Lagging struct {
	ID    string `json:"id"`
	Unit  string `json:"unit"`
	Cause string `json:"cause"`
}

// Satisfaction counts the ratings given in the period (by the day they were given), by the unit
// the opinion was about.
type Satisfaction struct {
	Rated        int                `json:"rated"`
	Satisfied    int                `json:"satisfied"`
	Basically    int                `json:"basically"`
	Dissatisfied int                `json:"dissatisfied"`
	ByUnit       []UnitSatisfaction `json:"by_unit"`
	// Redo lists the units under RedoRate with at least MinRatings ratings: their dissatisfied
	// items are redone (补课).
	Redo []string `json:"redo"`
	// BelowTarget lists the units under TargetRate with at least MinRatings ratings, tree order.
	BelowTarget []string `json:"below_target"`
}

// Rate is the share of 满意 and 基本满意 of all the ratings, in percent; ok is false under
// MinRatings ratings.
func (s Satisfaction) Rate() (rate float64, ok bool) {
	return UnitSatisfaction{Satisfied: s.Satisfied, Basically: s.Basically, Dissatisfied: s.Dissatisfied}.Rate()
}

// MinRatings is the fewest ratings a rate is judged on; fewer show "<5" and judge nothing.
const MinRatings = 5

// UnitSatisfaction is one unit's ratings.
type UnitSatisfaction struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Satisfied    int    `json:"satisfied"`
	Basically    int    `json:"basically"`
	Dissatisfied int    `json:"dissatisfied"`
}

// Rated is the number of ratings.
func (u UnitSatisfaction) Rated() int { return u.Satisfied + u.Basically + u.Dissatisfied }

// Rate is the share of 满意 and 基本满意, in percent; ok is false under MinRatings ratings.
func (u UnitSatisfaction) Rate() (rate float64, ok bool) {
	if u.Rated() < MinRatings {
		return 0, false
	}
	return satisfiedRate(u.Satisfied, u.Basically, u.Rated()), true
}

// Reports are the 信访-style figures of what 纪检 alone handles, for 纪检 only: 举报, and
// letters to a discipline mailbox (纪检监察信箱) whatever their type.
type Reports struct {
	Received       int `json:"received"`
	Closed         int `json:"closed"`         // 已办结 (closed or rejected as unfounded)
	Substantiated  int `json:"substantiated"`  // 属实
	Unfounded      int `json:"unfounded"`      // 查无实据
	Accountability int `json:"accountability"` // 追责问责
}

// Comparison is a period's figures with those of the period before (环比) and of the same period
// a year earlier (同比), counted with the same query otherwise.
type Comparison struct {
	Current  *Figures `json:"current"`
	Previous *Figures `json:"previous"`
	LastYear *Figures `json:"last_year"`
}
