package campaign

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minsheng/locale"
)

// Limits of what a campaign holds.
const (
	MaxName      = 100 // characters of its name
	MaxPhaseName = 30  // characters of a custom phase's name
	MaxPhases    = 20
	MaxQuestions = 10
	MaxQuestion  = 200  // characters of one question
	MaxAnswer    = 2000 // characters of one answer
)

// Normalize trims the campaign's words, drops empty questions, numbers the phases in order and
// sets StartsOn and EndsOn from them. Call it before Problems.
func (c *Campaign) Normalize() {
	c.Name = strings.TrimSpace(c.Name)
	var qs []string
	for _, q := range c.Questions {
		if q = strings.TrimSpace(q); q != "" {
			qs = append(qs, q)
		}
	}
	c.Questions = qs
	for i := range c.Phases {
		p := &c.Phases[i]
		p.Seq, p.Name = i+1, strings.TrimSpace(p.Name)
		p.StartsOn, p.EndsOn = strings.TrimSpace(p.StartsOn), strings.TrimSpace(p.EndsOn)
		if p.Kind != Custom {
			p.Name = ""
		}
	}
	c.StartsOn, c.EndsOn = "", ""
	if n := len(c.Phases); n > 0 {
		c.StartsOn, c.EndsOn = c.Phases[0].StartsOn, c.Phases[n-1].EndsOn
	}
}

// Problems returns what is wrong with a normalized campaign, field → message: "name",
// "phases", "phase_N" (N from 1), "questions", "immediate_days", "limited_days".
func (c Campaign) Problems() locale.Fields {
	p := locale.Fields{}
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		p["name"] = locale.M("campaign.need_name")
	case n > MaxName || !utf8.ValidString(c.Name):
		p["name"] = locale.M("campaign.name_too_long", MaxName)
	}
	switch {
	case len(c.Phases) == 0:
		p["phases"] = locale.M("campaign.need_phase")
	case len(c.Phases) > MaxPhases:
		p["phases"] = locale.M("campaign.too_many_phases", MaxPhases)
	}
	prevEnd := ""
	for i, ph := range c.Phases {
		field := "phase_" + strconv.Itoa(i+1)
		switch {
		case !knownKind(ph.Kind):
			p[field] = locale.M("campaign.phase_kind")
		case ph.Kind == Custom && (ph.Name == "" || utf8.RuneCountInString(ph.Name) > MaxPhaseName):
			p[field] = locale.M("campaign.phase_name", MaxPhaseName)
		case !isDay(ph.StartsOn) || !isDay(ph.EndsOn):
			p[field] = locale.M("campaign.phase_dates")
		case ph.EndsOn < ph.StartsOn:
			p[field] = locale.M("campaign.phase_backwards")
		case prevEnd != "" && ph.StartsOn <= prevEnd:
			p[field] = locale.M("campaign.phase_overlap")
		}
		if isDay(ph.EndsOn) {
			prevEnd = ph.EndsOn
		}
	}
	if len(c.Questions) > MaxQuestions {
		p["questions"] = locale.M("campaign.too_many_questions", MaxQuestions)
	}
	for _, q := range c.Questions {
		if utf8.RuneCountInString(q) > MaxQuestion || !utf8.ValidString(q) {
			p["questions"] = locale.M("campaign.question_too_long", MaxQuestion)
		}
	}
	if c.ImmediateDays < 1 || c.ImmediateDays > 365 {
		p["immediate_days"] = locale.M("campaign.days_range")
	}
	if c.LimitedDays < 1 || c.LimitedDays > 365 {
		p["limited_days"] = locale.M("campaign.days_range")
	}
	return p
}

func knownKind(k string) bool {
	for _, t := range Kinds {
		if t.Code == k {
			return true
		}
	}
	return false
}

func isDay(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
