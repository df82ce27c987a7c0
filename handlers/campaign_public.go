package handlers

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minsheng/campaign"
	"minsheng/locale"
	"minsheng/storage"
	"minsheng/vocab"
)

// phaseName is a phase as people read it: its kind's name, or the admin's name for a custom one.
func phaseName(p *locale.Printer, ph campaign.Phase) string {
	if ph.Kind == campaign.Custom {
		return ph.Name
	}
	return vocab.LabelIn(p, campaign.Kinds, ph.Kind)
}

// daySpan writes from–to (stored days) in the reader's words: 2027年3月7日至2027年3月31日.
func daySpan(p *locale.Printer, from, to string) string {
	return p.T("campaign.span", longDay(p, from), longDay(p, to))
}

// longDay writes a stored day as a calendar date (2027年3月31日); anything else as it is.
func longDay(p *locale.Printer, day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return p.Date(t)
}

// campaignBanner is the line public pages show while a campaign runs: its name, the phase
// today and that phase's dates.
type campaignBanner struct {
	Name, Phase, Dates string
}

// campaignBanners are the banners of the campaigns running today (the campaigns are cached:
// no query on most page views). A failure to read them costs the banner, never the page.
func (s *Server) campaignBanners(ctx context.Context, p *locale.Printer) []campaignBanner {
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return nil
	}
	today := s.store.Today()
	var out []campaignBanner
	for _, c := range campaign.Current(all, today) {
		ph, ok := c.PhaseOn(today)
		if !ok { // between two phases: the campaign still runs, with no phase to name
			out = append(out, campaignBanner{Name: c.Name, Dates: daySpan(p, c.StartsOn, c.EndsOn)})
			continue
		}
		out = append(out, campaignBanner{Name: c.Name, Phase: phaseName(p, ph), Dates: daySpan(p, ph.StartsOn, ph.EndsOn)})
	}
	return out
}

// campaignQuestions are one campaign's own questions on the opinion form, with what the person
// wrote. Closed: the campaign's window is not open today; Note then says so in plain words and
// the boxes show what was written without sending it again.
type campaignQuestions struct {
	ID      int64
	Name    string
	Covers  string // the units it covers, "" for every unit
	Items   []campaignQuestion
	Closed  bool
	Note    string
	Problem string // a message by the questions (a unit the campaign does not cover)
}

// campaignQuestion is one question and the answer typed to it; Field is its form field name.
type campaignQuestion struct {
	No              int
	Field, Question string
	Answer          string
}

// answerField names the form field of campaign id's question no: answer_ID_N.
func answerField(id int64, no int) string {
	return "answer_" + strconv.FormatInt(id, 10) + "_" + strconv.Itoa(no)
}

// questionsOf builds c's questions with the answers found in values (a posted form, or none).
func questionsOf(c campaign.Campaign, units []storage.Unit, p *locale.Printer, values func(string) string) campaignQuestions {
	q := campaignQuestions{ID: c.ID, Name: c.Name}
	var names []string
	for _, code := range c.Units {
		names = append(names, unitName(units, code))
	}
	q.Covers = strings.Join(names, p.T("submit.list_separator"))
	for i, text := range c.Questions {
		f := answerField(c.ID, i+1)
		q.Items = append(q.Items, campaignQuestion{No: i + 1, Field: f, Question: text,
			Answer: strings.TrimSpace(strings.ReplaceAll(values(f), "\r\n", "\n"))})
	}
	return q
}

// answered reports whether any of q's answers is written.
func (q campaignQuestions) answered() bool {
	for _, it := range q.Items {
		if it.Answer != "" {
			return true
		}
	}
	return false
}

// closedNote says in plain words why c's questions are closed on today: its window has not
// begun, or ended on a given day; the permanent form stays open either way.
func closedNote(p *locale.Printer, c campaign.Campaign, today string) string {
	next, last := "", ""
	for _, ph := range c.Phases {
		if ph.Kind != campaign.Listen {
			continue
		}
		if ph.StartsOn > today && next == "" {
			next = ph.StartsOn
		}
		if ph.EndsOn < today {
			last = ph.EndsOn
		}
	}
	if next != "" {
		return p.T("campaign.questions_not_yet", c.Name, longDay(p, next))
	}
	if last != "" {
		return p.T("campaign.questions_ended", longDay(p, last))
	}
	return p.T("campaign.questions_none", c.Name)
}

// formQuestions are the campaign questions the opinion form shows: those of every campaign
// whose collection window is open today and that has questions, then, closed, a campaign the
// form names (?campaign=ID from a poster, or the hidden field of a form loaded before its
// window closed) or whose answers were posted after it closed.
func (s *Server) formQuestions(c echo.Context, f submitForm, posted bool) ([]campaignQuestions, error) {
	ctx, p := c.Request().Context(), s.printer(c)
	all, err := s.store.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	values := func(string) string { return "" }
	if posted {
		values = c.FormValue
	}
	named := map[int64]bool{}
	for _, id := range f.Campaigns {
		if n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64); err == nil {
			named[n] = true
		}
	}
	today := s.store.Today()
	var out []campaignQuestions
	for _, cp := range all {
		if len(cp.Questions) == 0 {
			continue
		}
		q := questionsOf(cp, units, p, values)
		switch {
		case cp.WindowOpen(today):
		case named[cp.ID] || (posted && q.answered()):
			q.Closed, q.Note = true, closedNote(p, cp, today)
		default:
			continue
		}
		out = append(out, q)
	}
	return out, nil
}

// campaignAnswers checks the answers posted with an opinion about unit. Answers to an open
// campaign that covers the unit are returned for storage with that campaign, which the opinion
// is then recorded in (a person who answers a campaign's questions speaks in that campaign,
// even where another campaign also runs); answers to a second campaign on the same form, one
// too long, or written to a campaign that does not cover the chosen unit, get a message by
// their questions (the words kept). Answers to a closed campaign are not stored: the form comes
// back once with them shown, unsent, and the plain closed message; the opinion itself goes
// through on the next press.
func campaignAnswers(qs []campaignQuestions, all []campaign.Campaign, today, unit string, p *locale.Printer) ([]storage.CampaignAnswer, int64, locale.Fields) {
	errs := locale.Fields{}
	var out []storage.CampaignAnswer
	var answered int64
	for i := range qs {
		q := &qs[i]
		if !q.answered() {
			continue
		}
		key := "campaign_" + strconv.FormatInt(q.ID, 10)
		cp, known := campaignByID(all, q.ID)
		switch {
		case q.Closed:
			errs[key] = locale.M("campaign.answers_closed")
			continue
		case unit != "" && (!known || !cp.Covers(unit) || !cp.Running(today)):
			errs[key] = locale.M("campaign.unit_not_covered", q.Name)
			continue
		case answered != 0:
			errs[key] = locale.M("campaign.answers_one_campaign")
			continue
		}
		answered = q.ID
		for _, it := range q.Items {
			if it.Answer == "" {
				continue
			}
			if m := textProblem(it.Answer, 0, campaign.MaxAnswer); m.Key != "" {
				errs[key] = locale.M("campaign.answer_problem", it.No, m)
				continue
			}
			out = append(out, storage.CampaignAnswer{No: it.No, Question: it.Question, Answer: it.Answer})
		}
	}
	for key, m := range errs {
		q := strings.TrimPrefix(key, "campaign_")
		for i := range qs {
			if strconv.FormatInt(qs[i].ID, 10) == q {
				qs[i].Problem = p.Msg(m)
			}
		}
	}
	return out, answered, errs
}

// campaignByID finds a campaign by its id among all.
func campaignByID(all []campaign.Campaign, id int64) (campaign.Campaign, bool) {
	for _, c := range all {
		if c.ID == id {
			return c, true
		}
	}
	return campaign.Campaign{}, false
}

// questionsBack are the campaign questions of a form that comes back after a refusal (busy,
// broken), with what the person answered. Campaigns are read from memory; if even that fails,
// the answers posted still come back, under plain numbered labels, so nothing typed is lost.
func (s *Server) questionsBack(c echo.Context, f submitForm) []campaignQuestions {
	if qs, err := s.formQuestions(c, f, true); err == nil {
		return qs
	}
	p := s.printer(c)
	form, err := c.FormParams()
	if err != nil {
		return nil
	}
	byID := map[int64]*campaignQuestions{}
	var out []*campaignQuestions
	for key, vals := range form {
		var id int64
		var no int
		if _, err := fmt.Sscanf(key, "answer_%d_%d", &id, &no); err != nil || answerField(id, no) != key ||
			no < 1 || no > campaign.MaxQuestions || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		q := byID[id]
		if q == nil {
			q = &campaignQuestions{ID: id, Name: p.T("campaign.questions_fallback")}
			byID[id] = q
			out = append(out, q)
		}
		q.Items = append(q.Items, campaignQuestion{No: no, Field: key, Question: p.T("campaign.question_n", no), Answer: vals[0]})
	}
	res := make([]campaignQuestions, len(out))
	for i, q := range out {
		sort.Slice(q.Items, func(a, b int) bool { return q.Items[a].No < q.Items[b].No })
		res[i] = *q
	}
	sort.Slice(res, func(a, b int) bool { return res[a].ID < res[b].ID })
	return res
}
