package handlers

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// symposiumChannel is the channel of the opinions raised at a meeting (座谈会).
const symposiumChannel = "forum"

// Rows of opinions the meeting form shows: a first form has defaultSymposiumRows, and each
// "more rows" adds as many, up to storage.MaxSymposiumBatch.
const defaultSymposiumRows = 5

// symposiumForm is the meeting (座谈会) and the opinions raised at it, typed in one form.
// The meeting's fields bind as usual; the rows are numbered fields (content_1, type_1…) read by
// readRows, so that a row's fields never slip into another's.
type symposiumForm struct {
	HeldOn       string   `form:"held_on"`
	Unit         string   `form:"unit"`
	Host         string   `form:"host"`
	Categories   []string `form:"category"`
	Participants string   `form:"participants"`
	Note         string   `form:"note"`
	RowCount     string   `form:"rows"`
	More         string   `form:"more"` // "1": the "more rows" button, nothing is stored
	Rows         []symposiumRow
}

// symposiumRow is one opinion raised at the meeting.
type symposiumRow struct {
	No         int // from 1, as the fields are named
	Type       string
	Submitter  string
	Dept       string
	Content    string
	Leadership bool
}

// blank reports whether nothing was typed in the row (its choices alone do not count).
func (r symposiumRow) blank() bool { return r.Content == "" && r.Dept == "" }

// rowCount is how many rows the form had, within bounds.
func (f symposiumForm) rowCount() int {
	n, err := strconv.Atoi(f.RowCount)
	if err != nil || n < 1 {
		return defaultSymposiumRows
	}
	return min(n, storage.MaxSymposiumBatch)
}

// readRows reads the numbered rows of form, as many as the form says it had.
func (f *symposiumForm) readRows(form url.Values) {
	n := f.rowCount()
	f.Rows = make([]symposiumRow, n)
	for i := range f.Rows {
		k := "_" + strconv.Itoa(i+1)
		f.Rows[i] = symposiumRow{No: i + 1, Type: strings.TrimSpace(form.Get("type" + k)),
			Submitter: strings.TrimSpace(form.Get("submitter" + k)), Dept: strings.TrimSpace(form.Get("dept" + k)),
			Content:    strings.TrimSpace(strings.ReplaceAll(form.Get("content"+k), "\r\n", "\n")),
			Leadership: form.Get("leadership"+k) != ""}
	}
}

func (f *symposiumForm) normalise() {
	for _, p := range []*string{&f.HeldOn, &f.Unit, &f.Host, &f.Participants, &f.Note} {
		*p = strings.TrimSpace(*p)
	}
	f.Note = strings.ReplaceAll(f.Note, "\r\n", "\n")
}

// addRows makes room for more opinions, up to the batch's limit.
func (f *symposiumForm) addRows() {
	for target := min(len(f.Rows)+defaultSymposiumRows, storage.MaxSymposiumBatch); len(f.Rows) < target; {
		f.Rows = append(f.Rows, symposiumRow{No: len(f.Rows) + 1, Type: "opinion", Submitter: f.firstCategory()})
	}
	f.RowCount = itoa(len(f.Rows))
}

// firstCategory is the submitter a new row starts with: the first category ticked, else other.
func (f symposiumForm) firstCategory() string {
	if len(f.Categories) > 0 && vocab.Valid(vocab.Submitters, f.Categories[0]) {
		return f.Categories[0]
	}
	return "other"
}

// Validate returns a message per wrong field; a row's fields are named with its number
// (content_2). units are those the staff member may record meetings for; today is YYYY-MM-DD.
func (f symposiumForm) Validate(units []storage.Unit, today string) locale.Fields {
	errs := locale.Fields{}
	if d, err := time.Parse("2006-01-02", f.HeldOn); err != nil || d.Year() < 2000 {
		errs["held_on"] = locale.M("paper16.symposium.held_missing", today)
	} else if f.HeldOn > today {
		errs["held_on"] = locale.M("paper16.symposium.held_future", today)
	}
	if !unitListed(units, f.Unit) {
		errs["unit"] = locale.M("paper16.symposium.unit_missing")
	}
	if f.Host == "" {
		errs["host"] = locale.M("paper16.symposium.host_missing")
	} else if m := textProblem(f.Host, 1, storage.MaxSymposiumHost); m.Key != "" {
		errs["host"] = fieldProblem("paper16.symposium.host", m)
	}
	if len(f.Categories) == 0 {
		errs["category"] = locale.M("paper16.symposium.category_missing")
	}
	for _, c := range f.Categories {
		if !vocab.Valid(vocab.Submitters, c) {
			errs["category"] = locale.M("paper16.symposium.category_missing")
		}
	}
	if n, err := strconv.Atoi(f.Participants); err != nil || n < 1 || n > storage.MaxParticipants {
		errs["participants"] = locale.M("paper16.symposium.participants_wrong", storage.MaxParticipants)
	}
	if m := textProblem(f.Note, 0, storage.MaxSymposiumNote); m.Key != "" {
		errs["note"] = fieldProblem("paper16.symposium.note", m)
	}
	filled := 0
	for _, r := range f.Rows {
		if r.blank() {
			continue
		}
		filled++
		k := "_" + strconv.Itoa(r.No)
		for field, m := range (opinionFields{r.Type, f.Unit, r.Dept, r.Submitter, r.Content, ""}).problems(units, staffWording) {
			if field != "unit" { // the meeting's unit, checked above
				errs[field+k] = m
			}
		}
	}
	if filled == 0 {
		errs["content_1"] = locale.M("paper16.symposium.no_opinions")
	}
	return errs
}

// symposium is what storage records of the form: the meeting and its filled rows, in order.
func (f symposiumForm) symposium(userID int64) storage.NewSymposium {
	n, _ := strconv.Atoi(f.Participants)
	m := storage.NewSymposium{HeldOn: f.HeldOn, UnitCode: f.Unit, Host: f.Host, Participants: n, Note: f.Note}
	for _, t := range vocab.Submitters { // in the list's order, each once
		if slices.Contains(f.Categories, t.Code) {
			m.Categories = append(m.Categories, t.Code)
		}
	}
	for _, r := range f.Rows {
		if r.blank() {
			continue
		}
		m.Opinions = append(m.Opinions, storage.NewOpinion{Type: r.Type, UnitCode: f.Unit, Dept: r.Dept,
			Submitter: r.Submitter, Content: r.Content, AboutLeadership: r.Leadership, Channel: symposiumChannel,
			ReceivedOn: f.HeldOn, TranscribedBy: userID})
	}
	return m
}
