package handlers

import (
	"github.com/labstack/echo/v4"

	"minsheng/hanzi"
	"minsheng/locale"
	"minsheng/storage"
)

// taxonomy is the tag taxonomy (manifestations and families, from the database) as a page
// shows it: each tag's words in the reader's language.
type taxonomy struct {
	Tags   []storage.Tag
	byCode map[string]storage.Tag
	labels map[string]string // each tag's words in the reader's language, worked out once
	p      *locale.Printer
}

// taxonomy loads the tags for the page being answered.
func (s *Server) taxonomy(c echo.Context) (taxonomy, error) {
	tags, err := s.store.Tags(c.Request().Context())
	if err != nil {
		return taxonomy{}, err
	}
	return newTaxonomy(s.printer(c), tags), nil
}

// newTaxonomy words tags for a reader of p's language: once per tag and page, however many
// rows of a queue or an export name it (a Traditional label is an OpenCC conversion).
func newTaxonomy(p *locale.Printer, tags []storage.Tag) taxonomy {
	t := taxonomy{Tags: tags, byCode: make(map[string]storage.Tag, len(tags)), labels: make(map[string]string, len(tags)), p: p}
	for _, g := range tags {
		t.byCode[g.Code] = g
		t.labels[g.Code] = tagLabel(p, g)
	}
	return t
}

// Label is a tag's words in the reader's language: its English when the reader reads English
// and it has some, its Chinese in Traditional characters for a Traditional reader, else its
// Chinese; an unknown code shows as itself.
func (t taxonomy) Label(code string) string {
	if l, ok := t.labels[code]; ok {
		return l
	}
	return code
}

func tagLabel(p *locale.Printer, g storage.Tag) string {
	switch p.Lang() {
	case locale.En, locale.PseudoRTL:
		if g.LabelEn != "" {
			return g.LabelEn
		}
	case locale.ZhHant:
		if trad, err := hanzi.Traditionalize(g.Label); err == nil {
			return trad
		}
	}
	return g.Label
}

// Manifestations are the tags in use under style, in order (for checkboxes and filters).
func (t taxonomy) Manifestations(style string) []storage.Tag {
	var out []storage.Tag
	for _, g := range t.Tags {
		if g.Style == style && !g.Retired() {
			out = append(out, g)
		}
	}
	return out
}

// Families are the family tags in use, in order.
func (t taxonomy) Families() []storage.Tag {
	var out []storage.Tag
	for _, g := range t.Tags {
		if g.Kind == storage.TagFamily && !g.Retired() {
			out = append(out, g)
		}
	}
	return out
}

// Kept are the retired tags among codes: shown on an opinion that still carries them, where
// they stay, though no one can give them anew.
func (t taxonomy) Kept(codes []string) []storage.Tag {
	var out []storage.Tag
	for _, c := range codes {
		if g, ok := t.byCode[c]; ok && g.Retired() {
			out = append(out, g)
		}
	}
	return out
}
