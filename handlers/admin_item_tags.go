package handlers

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/suggest"
)

// The item page's sorting (汇总梳理): the tagging form with the four styles, their
// manifestations, the families and feature 30's flags; the model's suggestions, each accepted
// by a click; the tags in the summary and the history.

// taggingForm is what the item page's tagging form sends: the styles, the manifestation and
// family tags (one field: both are tags), and feature 30's flags ("" is not decided).
type taggingForm struct {
	Styles []string `form:"style"`
	Tags   []string `form:"tag"`
	Nature string   `form:"nature"`
	Reach  string   `form:"reach"`
}

// Validate returns a message per wrong field: "style" (not one of the four), "style-CODE" (a
// manifestation of that style ticked without the style: the reviewer may have meant to take
// the style off, or forgotten to tick it, so it is asked, not guessed), "tag" (unknown, or
// retired and not already on the opinion: had), "attributes".
func (f taggingForm) Validate(t taxonomy, had []string) locale.Fields {
	errs := locale.Fields{}
	for _, st := range f.Styles {
		if !sifeng.Valid(st) {
			errs["style"] = locale.M("item.only_styles")
		}
	}
	for _, code := range f.Tags {
		g, ok := t.byCode[code]
		switch {
		case !ok || g.Retired() && !slices.Contains(had, code):
			errs["tag"] = locale.M("item_tags.unknown_tag")
		case g.Style != "" && !slices.Contains(f.Styles, g.Style):
			for _, st := range sifeng.Styles {
				if st.Code == g.Style {
					errs["style-"+st.Code] = locale.M("item_tags.needs_style", locale.M(st.Key))
				}
			}
		}
	}
	natures := []string{"", storage.NatureConduct, storage.NatureWork}
	reaches := []string{"", storage.ReachCommon, storage.ReachIndividual}
	if !slices.Contains(natures, f.Nature) || !slices.Contains(reaches, f.Reach) {
		errs["attributes"] = locale.M("item_tags.bad_attributes")
	}
	return errs
}

// tagBox is one tag as the page shows it: a checkbox of the form, or a tag of the summary.
type tagBox struct {
	Code, Label      string
	Checked, Retired bool
}

// styleTags is one style of the tagging form with its manifestations below it.
type styleTags struct {
	Code, Label, About string
	Checked            bool
	Manifestations     []tagBox
	Error              string
}

// choice is one radio button.
type choice struct{ Code, Label string }

// taggingView is the tagging form as it shows: what the opinion carries, or what the reviewer
// sent when it was refused. Retired tags the opinion carries are offered too, marked, so that
// saving keeps them; new ones cannot be given them.
type taggingView struct {
	Styles            []styleTags
	Families          []tagBox
	Nature, Reach     string
	Natures, Reaches  []choice
	TagError, AttrErr string
}

// newTaggingView builds the form for o from sent (nil: from o), with errs by field.
func newTaggingView(p *locale.Printer, t taxonomy, o storage.Opinion, sent *taggingForm, errs map[string]string) taggingView {
	f := taggingForm{Styles: o.Styles, Tags: o.Tags, Nature: o.Nature, Reach: o.Reach}
	if sent != nil {
		f = *sent
	}
	kept := t.Kept(o.Tags)
	box := func(g storage.Tag) tagBox {
		return tagBox{Code: g.Code, Label: t.Label(g.Code), Checked: slices.Contains(f.Tags, g.Code), Retired: g.Retired()}
	}
	v := taggingView{Nature: f.Nature, Reach: f.Reach, TagError: errs["tag"], AttrErr: errs["attributes"],
		Natures: []choice{{"", p.T("item_tags.undecided")}, {storage.NatureConduct, p.T("item_tags.nature_conduct")},
			{storage.NatureWork, p.T("item_tags.nature_work")}},
		Reaches: []choice{{"", p.T("item_tags.undecided")}, {storage.ReachCommon, p.T("item_tags.reach_common")},
			{storage.ReachIndividual, p.T("item_tags.reach_individual")}}}
	for _, st := range sifeng.Styles {
		sb := styleTags{Code: st.Code, Label: st.In(p), About: st.AboutIn(p), Checked: slices.Contains(f.Styles, st.Code),
			Error: errs["style-"+st.Code]}
		for _, g := range append(t.Manifestations(st.Code), keptOf(kept, st.Code)...) {
			sb.Manifestations = append(sb.Manifestations, box(g))
		}
		v.Styles = append(v.Styles, sb)
	}
	for _, g := range append(t.Families(), keptOf(kept, "")...) {
		v.Families = append(v.Families, box(g))
	}
	return v
}

// keptOf are the retired tags of kept under style ("" for the families).
func keptOf(kept []storage.Tag, style string) []storage.Tag {
	var out []storage.Tag
	for _, g := range kept {
		if g.Style == style {
			out = append(out, g)
		}
	}
	return out
}

// suggestionView is one suggestion of the model the opinion does not carry yet.
type suggestionView struct {
	Code, Label string
	Percent     int
	Words       string // the words of the text that drove it, listed in the reader's way
}

// suggestions are the model's suggestions for o that o does not carry and a reviewer could
// accept (no retired tag, no code the taxonomy lacks): the styles first, then manifestations,
// then families, the likeliest first within each. seen is o's text as the viewer sees it: a
// word the viewer may not see (a masked number) is left out.
func suggestions(p *locale.Printer, t taxonomy, o storage.Opinion, seen string, got []suggest.Suggestion) []suggestionView {
	rank := map[string]int{suggest.KindStyle: 0, suggest.KindManifestation: 1, suggest.KindFamily: 2}
	got = slices.Clone(got)
	slices.SortStableFunc(got, func(a, b suggest.Suggestion) int { return rank[a.Kind] - rank[b.Kind] })
	var out []suggestionView
	for _, sg := range got {
		sv := suggestionView{Code: sg.Code, Percent: int(math.Round(sg.Score * 100))}
		switch g, known := t.byCode[sg.Code]; {
		case sg.Kind == suggest.KindStyle && sifeng.Valid(sg.Code) && !slices.Contains(o.Styles, sg.Code):
			sv.Label = sifeng.LabelIn(p, sg.Code)
		case sg.Kind != suggest.KindStyle && known && !g.Retired() && !slices.Contains(o.Tags, sg.Code):
			sv.Label = t.Label(sg.Code)
		default:
			continue
		}
		var words []string
		for _, w := range sg.Words {
			if strings.Contains(seen, w) {
				words = append(words, w)
			}
		}
		sv.Words = strings.Join(words, p.T("item.list_sep"))
		out = append(out, sv)
	}
	return out
}

// tagSummary is o's tags as the summary shows them, with its flags in words ("" when none).
func tagSummary(p *locale.Printer, t taxonomy, o storage.Opinion) ([]tagBox, string) {
	var tags []tagBox
	for _, code := range o.Tags {
		g := t.byCode[code]
		tags = append(tags, tagBox{Code: code, Label: t.Label(code), Retired: g.Retired()})
	}
	var flags []string
	if o.Nature != "" {
		flags = append(flags, attributeWord(p, o.Nature))
	}
	if o.Reach != "" {
		flags = append(flags, attributeWord(p, o.Reach))
	}
	return tags, strings.Join(flags, p.T("item.list_sep"))
}

// attributeWord is a flag of feature 30 in p's words; an unknown one stays as it is.
func attributeWord(p *locale.Printer, code string) string {
	switch code {
	case storage.NatureConduct:
		return p.T("item_tags.nature_conduct")
	case storage.NatureWork:
		return p.T("item_tags.nature_work")
	case storage.ReachCommon:
		return p.T("item_tags.reach_common")
	case storage.ReachIndividual:
		return p.T("item_tags.reach_individual")
	}
	return code
}

// attributesDetail words an "attributes" audit row ("nature,reach"), both halves, undecided
// ones too: 作风问题、共性未定.
func attributesDetail(p *locale.Printer, detail string) string {
	nature, reach, _ := strings.Cut(detail, ",")
	words := []string{p.T("item_tags.nature_none"), p.T("item_tags.reach_none")}
	if nature != "" {
		words[0] = attributeWord(p, nature)
	}
	if reach != "" {
		words[1] = attributeWord(p, reach)
	}
	return strings.Join(words, p.T("item.list_sep"))
}

// tagsDetail words the tags of a "subtag" audit row (codes, "+CODE" for one added) with the
// taxonomy's labels, which live in the database and so cannot be worded by auditDetail.
func (t taxonomy) tagsDetail(detail string) string {
	var labels []string
	for _, code := range strings.Split(detail, ",") {
		if code == "" {
			continue
		}
		bare, plus := strings.CutPrefix(code, "+")
		label := t.Label(bare)
		if plus {
			label = "+" + label
		}
		labels = append(labels, label)
	}
	if len(labels) == 0 {
		return t.p.T("item_tags.none")
	}
	return strings.Join(labels, t.p.T("item.list_sep"))
}

// fillTags puts the sorting on the item page: the summary's tags, the history's tag rows in
// words, and for a viewer who may tag, the form and the suggestions (computed on the text as
// stored; their words shown only where the viewer sees them).
func (s *Server) fillTags(c echo.Context, page *itemPage, o storage.Opinion, audit []storage.AuditEntry) error {
	t, err := s.taxonomy(c)
	if err != nil {
		return err
	}
	p := s.printer(c)
	page.Tags, page.Attributes = tagSummary(p, t, o)
	for i, a := range audit {
		if a.Action == "subtag" && i < len(page.History) {
			page.History[i].Detail = t.tagsDetail(a.Detail)
		}
	}
	if !viewer(c).Can(access.Tag) {
		return nil
	}
	page.Tagging = newTaggingView(p, t, o, page.Sent, page.Errors)
	page.Suggestions = suggestions(p, t, o, page.Opinion.Content, s.learner.Suggest(o.Content))
	return nil
}

// tagOpinion handles POST /admin/opinions/{id}/styles: the tagging form, saved whole (styles,
// tags and flags in one transaction, each change audited).
func (s *Server) tagOpinion(c echo.Context) error {
	var f taggingForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ctx := c.Request().Context()
	o, err := s.store.Opinion(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	t, err := s.taxonomy(c)
	if err != nil {
		return err
	}
	p := s.printer(c)
	if errs := f.Validate(t, o.Tags); len(errs) > 0 {
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Sent: &f, Errors: p.Fields(errs)})
	}
	u, _ := staffUser(c)
	err = s.store.SetTagging(ctx, u.ID, o.ID, storage.Tagging{Styles: f.Styles, Tags: f.Tags, Nature: f.Nature, Reach: f.Reach})
	if errors.Is(err, storage.ErrInvalid) { // a tag retired while the form was open
		return s.renderItem(c, http.StatusUnprocessableEntity, itemPage{Sent: &f,
			Errors: p.Fields(locale.Fields{"tag": locale.M("item_tags.unknown_tag")})})
	}
	if err != nil {
		return err
	}
	return backToItem(c)
}

// acceptSuggestion handles POST /admin/opinions/{id}/suggestions/accept: the reviewer takes one
// suggested style or tag (code), added to what the opinion has; a manifestation brings its
// style. A code no reviewer could give is refused: unknown (400), retired since (422).
func (s *Server) acceptSuggestion(c echo.Context) error {
	code := c.FormValue("code")
	t, err := s.taxonomy(c)
	if err != nil {
		return err
	}
	if _, known := t.byCode[code]; !known && !sifeng.Valid(code) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	u, _ := staffUser(c)
	_, err = s.store.AddToOpinion(c.Request().Context(), u.ID, c.Param("id"), code)
	if errors.Is(err, storage.ErrInvalid) {
		return s.renderItem(c, http.StatusUnprocessableEntity,
			itemPage{Message: s.printer(c).T("item_tags.accept_retired", t.Label(code))})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/opinions/"+c.Param("id")+"#tags")
}
