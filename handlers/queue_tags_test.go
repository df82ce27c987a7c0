package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/suggest"
)

// tagWorld is a queue whose opinions carry the taxonomy: A a manifestation (with its style),
// B a family, C a tag retired since, D nothing; and feature 30's flags on A and B.
type tagWorld struct {
	h   *harness
	ids map[string]string
}

func newTagWorld(t *testing.T, h *harness) *tagWorld {
	t.Helper()
	ctx := context.Background()
	w := &tagWorld{h: h, ids: map[string]string{}}
	for i, name := range []string{"A", "B", "C", "D"} {
		// Oldest first, so the queue lists D C B A.
		w.ids[name] = h.seedOn(t, "2026-04-0"+strconv.Itoa(i+1), storage.NewOpinion{Content: "意见 " + name + "：请认真处理。"})
	}
	steps := []struct {
		name          string
		styles, tags  []string
		nature, reach string
	}{
		{"A", []string{"bureaucratism"}, []string{"bureaucratism-buckpassing"}, storage.NatureConduct, storage.ReachCommon},
		{"B", nil, []string{"service_attitude"}, storage.NatureWork, storage.ReachIndividual},
		{"C", nil, []string{"kickbacks"}, "", ""},
	}
	for _, s := range steps {
		id := w.ids[s.name]
		if err := h.store.SetStylesAndTags(ctx, 0, id, s.styles, s.tags); err != nil {
			t.Fatal(err)
		}
		if s.nature != "" || s.reach != "" {
			if err := h.store.SetAttributes(ctx, 0, id, s.nature, s.reach); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := h.store.SetTagRetired(ctx, 0, "kickbacks", true); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *tagWorld) idsOf(names string) []string {
	var out []string
	for _, n := range strings.Split(names, "") {
		if n != "" {
			out = append(out, w.ids[n])
		}
	}
	return out
}

// Ensure the queue filters by tag (a manifestation, a family, a retired tag), by nature and by
// reach, shows the choices grouped and in the reader's language, keeps the filter in its links
// and forms, and shows each row's tags.
func TestQueueTagFilter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	zh, _ := h.staff(t)
	en, _ := h.staffIn(t, "reviewer-en", access.Reviewer, "en")
	hant, _ := h.staffIn(t, "reviewer-hant", access.Reviewer, "zh-Hant")
	w := newTagWorld(t, h)
	tests := []struct {
		name  string
		b     *browser
		query string
		want  string // tagWorld names, newest first
		shows []string
	}{
		{"manifestation", zh, "tag=bureaucratism-buckpassing", "A", []string{
			`<optgroup label="官僚主义">`, `<option value="bureaucratism-buckpassing" selected>推诿扯皮、久拖不办</option>`,
			`<optgroup label="其他问题类别">`, `data-tag="bureaucratism-buckpassing">推诿扯皮、久拖不办</span>`,
			`<input type="hidden" name="tag" value="bureaucratism-buckpassing">`,
			`href="/admin/queue?status=received&amp;tag=bureaucratism-buckpassing" id="count-received"`}},
		{"family", zh, "tag=service_attitude", "B", []string{
			`<option value="service_attitude" selected>服务态度</option>`, `data-tag="service_attitude">服务态度</span>`}},
		{"retired tag", zh, "tag=kickbacks", "C", []string{
			`<optgroup label="已停用">`, `<option value="kickbacks" selected>红包回扣/开单提成（已停用）</option>`,
			`class="tag subtag retired" data-tag="kickbacks" title="已停用">红包回扣/开单提成</span>`}},
		{"nature conduct", zh, "nature=conduct", "A", []string{`<option value="conduct" selected>作风问题</option>`}},
		{"nature work", zh, "nature=work", "B", []string{`<option value="work" selected>工作问题</option>`}},
		{"reach common", zh, "reach=common", "A", []string{`<option value="common" selected>共性</option>`}},
		{"reach individual", zh, "reach=individual", "B", []string{`<option value="individual" selected>个性</option>`}},
		{"tag and nature disjoint", zh, "tag=service_attitude&nature=conduct", "", []string{"没有符合条件的意见。"}},
		{"tag and style none", zh, "tag=service_attitude&style=none", "B", nil},
		{"unknown tag dropped", zh, "tag=no-such-tag", "DCBA", nil},
		{"malformed tag dropped", zh, "tag=%27+OR+1%3D1", "DCBA", nil},
		{"unknown nature dropped", zh, "nature=bogus&reach=everyone", "DCBA", nil},
		{"english manifestation", en, "tag=bureaucratism-buckpassing", "A", []string{
			`<optgroup label="Bureaucratism (官僚主义)">`,
			`<option value="bureaucratism-buckpassing" selected>Passing the buck, letting matters drag on</option>`,
			`<optgroup label="Other categories">`, `data-tag="bureaucratism-buckpassing">Passing the buck, letting matters drag on</span>`,
			">Kind of problem", ">Common or individual"}},
		{"english retired tag", en, "tag=kickbacks", "C", []string{
			`<optgroup label="Retired">`, `<option value="kickbacks" selected>Red envelopes and kickbacks (红包回扣/开单提成) (retired)</option>`}},
		{"english nature", en, "nature=work", "B", []string{`<option value="work" selected>Work (工作问题)</option>`}},
		{"traditional", hant, "tag=bureaucratism-buckpassing", "A", []string{
			`<optgroup label="官僚主義">`, `<option value="bureaucratism-buckpassing" selected>推諉扯皮、久拖不辦</option>`,
			`data-tag="bureaucratism-buckpassing">推諉扯皮、久拖不辦</span>`, ">問題性質"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.get(t, "/admin/queue?"+tc.query)
			wantStatus(t, r, http.StatusOK)
			if got, want := queueIDs(r.Body), w.idsOf(tc.want); !slices.Equal(got, want) {
				t.Errorf("ids:\n got %v\nwant %v (%s)", got, want, tc.want)
			}
			wantContains(t, r.Body, tc.shows...)
		})
	}
	t.Run("in use before retired", func(t *testing.T) {
		body := zh.get(t, "/admin/queue").Body
		used, retired := strings.Index(body, `<option value="praise">`), strings.Index(body, `<option value="kickbacks">`)
		if used < 0 || retired < used {
			t.Errorf("the retired tag (at %d) must come after every tag in use (表扬 at %d)", retired, used)
		}
		if strings.Contains(body, `name="add_tag"`) && strings.Contains(body[strings.Index(body, `name="add_tag"`):], `value="kickbacks"`) {
			t.Error("the bulk tag offers a retired tag")
		}
	})
}

// Ensure a saved filter keeps the tag and the flags: saved, listed, applied and carried in the
// queue's forms, exactly as the queue had them; an unknown tag is not saved.
func TestSavedFilterWithTagRoundTrips(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	w := newTagWorld(t, h)
	filter := url.Values{"tag": {"bureaucratism-buckpassing"}, "nature": {"conduct"}, "reach": {"common"}, "style": {"bureaucratism"}}
	r := postFilter(t, b, "推诿扯皮", filter)
	wantStatus(t, r, http.StatusSeeOther)
	want := "/admin/queue?" + filter.Encode()
	if got := r.location(); got != want {
		t.Errorf("after saving: Location %q, want %q", got, want)
	}
	link, ok := savedFilters(b.get(t, "/admin/queue").Body)["推诿扯皮"]
	if !ok || link != want {
		t.Fatalf("saved filter links to %q (listed %v), want %q", link, ok, want)
	}
	page := b.get(t, link)
	if got := queueIDs(page.Body); !slices.Equal(got, w.idsOf("A")) {
		t.Errorf("applying the saved filter lists %v, want A", got)
	}
	for k, v := range filter {
		wantContains(t, page.Body, `<input type="hidden" name="`+k+`" value="`+v[0]+`">`)
	}
	wantContains(t, page.Body, `<option value="bureaucratism-buckpassing" selected>`, `<option value="conduct" selected>`, `<option value="common" selected>`)

	r = postFilter(t, b, "停用的", url.Values{"tag": {"kickbacks"}})
	if got := r.location(); got != "/admin/queue?tag=kickbacks" {
		t.Errorf("a retired tag's filter: Location %q", got)
	}
	if got := queueIDs(b.get(t, savedFilters(b.get(t, "/admin/queue").Body)["停用的"]).Body); !slices.Equal(got, w.idsOf("C")) {
		t.Errorf("the saved filter on a retired tag lists %v, want C", got)
	}
	r = postFilter(t, b, "不存在的", url.Values{"tag": {"no-such-tag"}, "reach": {"individual"}})
	if got := r.location(); got != "/admin/queue?reach=individual" {
		t.Errorf("an unknown tag was kept: Location %q", got)
	}
	if got := savedFilters(b.get(t, "/admin/queue").Body)["不存在的"]; got != "/admin/queue?reach=individual" {
		t.Errorf("saved with an unknown tag: %q", got)
	}
}

// Ensure a bulk tag adds a manifestation with its style or a family alone, keeps what each
// opinion had, skips what already has it and what the person may not open, audits each change,
// and refuses a retired tag, and anyone who may not tag.
func TestBulkAddTag(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	ctx := context.Background()
	bare := h.opinionIn(t, "complaint", lifecycle.Received)
	styled := h.opinionIn(t, "suggestion", lifecycle.Triaged)
	already := h.opinionIn(t, "complaint", lifecycle.Received)
	report := h.opinionIn(t, "report", lifecycle.Received) // 纪检's only
	if err := h.store.SetStyles(ctx, 0, styled, []string{"formalism"}); err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetStylesAndTags(ctx, 0, already, []string{"bureaucratism"}, []string{"bureaucratism-buckpassing"}); err != nil {
		t.Fatal(err)
	}
	r := postBulk(t, b, url.Values{"action": {"subtag"}, "add_tag": {"bureaucratism-buckpassing"}, "tag": {"service_attitude"}},
		bare, styled, already, report, "NOSUCHID00")
	if loc := r.location(); !strings.Contains(loc, "tag=service_attitude") {
		t.Errorf("redirect %q does not keep the filter", loc)
	}
	if got, want := followOutcome(t, b, r), "2 条已添加“推诿扯皮、久拖不办”标签；2 条不存在或无权查看；1 条本来就有这个标注。"; got != want {
		t.Errorf("outcome %q, want %q", got, want)
	}
	wantOpinion := func(t *testing.T, id string, styles, tags []string) {
		t.Helper()
		o, err := h.store.Opinion(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(o.Styles, styles) || !slices.Equal(o.Tags, tags) {
			t.Errorf("styles %v tags %v, want %v %v", o.Styles, o.Tags, styles, tags)
		}
	}
	wantOpinion(t, bare, []string{"bureaucratism"}, []string{"bureaucratism-buckpassing"})
	wantOpinion(t, styled, []string{"formalism", "bureaucratism"}, []string{"bureaucratism-buckpassing"})
	wantOpinion(t, already, []string{"bureaucratism"}, []string{"bureaucratism-buckpassing"})
	wantOpinion(t, report, nil, nil)
	for id, want := range map[string][]string{
		bare:    {"tag +bureaucratism", "subtag bureaucratism-buckpassing"},
		styled:  {"tag +bureaucratism", "subtag bureaucratism-buckpassing"},
		already: nil, report: nil,
	} {
		entries, err := h.store.AuditOf(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			if e.Username == "审核员甲" {
				got = append(got, e.Action+" "+e.Detail)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("audit by the reviewer %q, want %q", got, want)
		}
	}

	t.Run("family", func(t *testing.T) {
		r := postBulk(t, b, url.Values{"action": {"subtag"}, "add_tag": {"service_attitude"}}, bare)
		if got, want := followOutcome(t, b, r), "1 条已添加“服务态度”标签。"; got != want {
			t.Errorf("outcome %q, want %q", got, want)
		}
		wantOpinion(t, bare, []string{"bureaucratism"}, []string{"bureaucratism-buckpassing", "service_attitude"})
	})
	t.Run("english", func(t *testing.T) {
		eb, _ := h.staffIn(t, "reviewer-en", access.Reviewer, "en")
		r := postBulk(t, eb, url.Values{"action": {"subtag"}, "add_tag": {"labour_discipline"}}, bare, styled)
		if got, want := followOutcome(t, eb, r), "2 opinions tagged “Work discipline (劳动纪律)”."; !strings.HasPrefix(got, want) {
			t.Errorf("outcome %q, want %q", got, want)
		}
	})
	if err := h.store.SetTagRetired(ctx, 0, "praise", true); err != nil {
		t.Fatal(err)
	}
	refused := []struct{ name, tag string }{{"retired", "praise"}, {"unknown", "no-such-tag"}, {"none", ""}}
	for _, tc := range refused {
		t.Run("refused "+tc.name, func(t *testing.T) {
			before := h.snapshot(t)
			r := postBulk(t, b, url.Values{"action": {"subtag"}, "add_tag": {tc.tag}}, bare)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, "请选择一个在用的标签。", `value="`+bare+`" aria-label="选择这条意见" checked`)
			if h.snapshot(t) != before {
				t.Error("a refused bulk tag changed stored data")
			}
		})
	}
	for _, role := range []string{access.Supervisor, access.Liaison} {
		t.Run("refused to a "+role, func(t *testing.T) {
			rb := h.staffAs(t, role)
			before := h.snapshot(t)
			wantStatus(t, postBulk(t, rb, url.Values{"action": {"subtag"}, "add_tag": {"praise"}}, bare), http.StatusForbidden)
			if h.snapshot(t) != before {
				t.Error("a forbidden bulk tag changed stored data")
			}
		})
	}
}

// Ensure the new filters never show anyone an opinion they cannot open: for every role, what
// the queue lists under a tag, nature or reach filter is exactly what they may open of the
// opinions that carry it.
func TestQueueTagFiltersKeepScope(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t)
	ctx := context.Background()
	for _, o := range roleObjects {
		id := w.ids[o.name]
		if err := w.h.store.SetOpinionTags(ctx, 0, id, []string{"service_attitude"}); err != nil {
			t.Fatal(err)
		}
		if err := w.h.store.SetAttributes(ctx, 0, id, storage.NatureConduct, storage.ReachCommon); err != nil {
			t.Fatal(err)
		}
	}
	for role, b := range w.browsers {
		var mayOpen []string
		for _, o := range roleObjects {
			if b.get(t, "/admin/opinions/"+w.ids[o.name]).Code == http.StatusOK {
				mayOpen = append(mayOpen, w.ids[o.name])
			}
		}
		slices.Sort(mayOpen)
		for _, q := range []string{"tag=service_attitude", "nature=conduct", "reach=common", "tag=service_attitude&nature=conduct&reach=common"} {
			t.Run(role+" "+q, func(t *testing.T) {
				r := b.get(t, "/admin/queue?"+q)
				wantStatus(t, r, http.StatusOK)
				got := queueIDs(r.Body)
				slices.Sort(got)
				if !slices.Equal(got, mayOpen) {
					t.Errorf("the queue lists %v, the role may open %v", got, mayOpen)
				}
				if n := sidebarCounts(t, r.Body)["all"]; n != len(mayOpen) {
					t.Errorf("全部 counts %d, want %d", n, len(mayOpen))
				}
				for name, text := range w.content {
					if !slices.Contains(got, w.ids[name]) && strings.Contains(r.Body, text) {
						t.Errorf("the page shows the text of %q, which is not listed", name)
					}
				}
			})
		}
	}
	if n := len(queueIDs(w.browsers["liaison-county"].get(t, "/admin/queue?tag=service_attitude").Body)); n != 1 {
		t.Errorf("the county's liaison lists %d tagged opinions, want only the complaint handed to them", n)
	}
}

// acceptChipRe reads a suggestion chip: its form's action, the code it posts, its title (what
// a click does and why), its label and its score.
var acceptChipRe = regexp.MustCompile(`<form method="post" action="/admin/opinions/([A-Z0-9]+)/suggestions/accept" class="inline">` +
	`<input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="code" value="([a-z][a-z0-9_-]*)">` +
	`<button type="submit" class="chip" title="([^"]*)">([^<]*) <span class="score">([0-9.]+)</span></button></form>`)

type chip struct{ id, code, title, label, score string }

func acceptChips(body string) []chip {
	var out []chip
	for _, m := range acceptChipRe.FindAllStringSubmatch(body, -1) {
		out = append(out, chip{m[1], m[2], html.UnescapeString(m[3]), html.UnescapeString(m[4]), m[5]})
	}
	return out
}

// Ensure an opinion still 待梳理 with no style shows the model's suggestions (styles first, then
// manifestations and families), each with its score and a form that accepts it; one with a style, or already sorted, shows none; and
// only those who may tag see them.
func TestQueueSuggestionChips(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	zh, _ := h.staff(t)
	en, _ := h.staffIn(t, "reviewer-en", access.Reviewer, "en")
	ctx := context.Background()
	const text = "办个住院手续，窗口让我填了三四遍表，来回跑了四趟，每个人都说不归他们管，推来推去。"
	model, err := suggest.Starting()
	if err != nil {
		t.Fatal(err)
	}
	var want, wantTags []suggest.Suggestion
	for _, s := range model.Suggest(text, sifeng.StyleOf) {
		if s.Kind == suggest.KindStyle {
			want = append(want, s)
		} else {
			wantTags = append(wantTags, s)
		}
	}
	if len(want) == 0 || want[0].Code != "bureaucratism" || len(wantTags) == 0 {
		t.Fatalf("the starting model suggests %v and %v for the text; the test needs 官僚主义 and a tag", want, wantTags)
	}
	untagged, _ := h.seed(t, storage.NewOpinion{Content: text})
	tagged, _ := h.seed(t, storage.NewOpinion{Content: text})
	familyOnly, _ := h.seed(t, storage.NewOpinion{Content: text})
	sorted, _ := h.seed(t, storage.NewOpinion{Content: text})
	if err := h.store.SetStyles(ctx, 0, tagged, []string{"formalism"}); err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetOpinionTags(ctx, 0, familyOnly, []string{"service_attitude"}); err != nil {
		t.Fatal(err)
	}
	h.walkTo(t, 0, sorted, lifecycle.Triaged)

	score := strconv.FormatFloat(want[0].Score, 'f', 2, 64)
	tags, err := h.store.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var tagZh, tagEn string
	for _, g := range tags {
		if g.Code == wantTags[0].Code {
			tagZh, tagEn = g.Label, g.LabelEn
		}
	}
	tests := []struct {
		name         string
		b            *browser
		label, title string // title: how it begins
		tagLabel     string
	}{
		{"chinese", zh, "官僚主义", "采纳提示“官僚主义”（得分 " + score + "）", tagZh},
		{"english", en, "Bureaucratism (官僚主义)", "Accept the suggestion “Bureaucratism (官僚主义)” (score " + score + ")", tagEn},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.get(t, "/admin/queue")
			wantStatus(t, r, http.StatusOK)
			chips := acceptChips(r.Body)
			byID := map[string][]chip{}
			for _, c := range chips {
				byID[c.id] = append(byID[c.id], c)
			}
			// An opinion with only a family is still unsorted by style: it gets suggestions too.
			for _, id := range []string{untagged, familyOnly} {
				got := byID[id]
				if len(got) != len(want)+len(wantTags) {
					t.Fatalf("%d chips for an untagged opinion, want %d: %+v", len(got), len(want)+len(wantTags), got)
				}
				if c := got[len(want)]; c.code != wantTags[0].Code || c.label != tc.tagLabel {
					t.Errorf("first tag chip %+v, want %s labelled %q, after the styles", c, wantTags[0].Code, tc.tagLabel)
				}
				c := got[0]
				if c.code != "bureaucratism" || c.label != tc.label || c.score != score || !strings.HasPrefix(c.title, tc.title) {
					t.Errorf("chip %+v, want code bureaucratism, label %q, score %s, title beginning %q", c, tc.label, score, tc.title)
				}
				if words := want[0].Words; len(words) > 0 && !strings.Contains(c.title, words[0]) {
					t.Errorf("chip title %q does not name the words that drove it %v", c.title, words)
				}
			}
			for _, id := range []string{tagged, sorted} {
				if len(byID[id]) != 0 {
					t.Errorf("chips %+v on an opinion with a style or already sorted", byID[id])
				}
			}
			if strings.Count(r.Body, "/suggestions/accept") != len(chips) {
				t.Error("a chip's markup is not as expected")
			}
			// The chips' forms are not inside the bulk form (forms do not nest).
			if table, bulk := strings.Index(r.Body, "</table>"), strings.Index(r.Body, `id="bulk"`); bulk < table {
				t.Errorf("the bulk form opens (at %d) before the table ends (at %d)", bulk, table)
			}
		})
	}
	t.Run("not to those who may not tag", func(t *testing.T) {
		r := h.staffAs(t, access.Supervisor).get(t, "/admin/queue")
		wantStatus(t, r, http.StatusOK)
		if len(queueIDs(r.Body)) != 4 {
			t.Fatalf("the supervisor lists %d opinions, want 4", len(queueIDs(r.Body)))
		}
		wantNotContains(t, r.Body, "/suggestions/accept")
	})
}
