package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/locale"
	"minsheng/storage"
)

// A text that plainly tells of 官僚主义 without naming it (跑了四趟, 不归他们管), and one about
// the surroundings only; the starting model suggests bureaucratism, 推诿扯皮 and 门难进 for the
// first, no style for the second (`go run ./cmd/minsheng suggest`).
const (
	runaroundText = "办个证跑了四趟，窗口说不归他们管，又让去别的科室"
	parkingText   = "病房晚上没有热水，停车场车位也太少，希望医院改进。"
)

var suggestionsRe = regexp.MustCompile(`(?s)<section class="panel" id="suggestions".*?</section>`)

// suggestionPanel is the suggestions panel of an item page, "" when there is none.
func suggestionPanel(body string) string { return suggestionsRe.FindString(body) }

// historyText is the text of an item page's history list, one entry per line, in any language.
func historyText(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<ul class="audit">(.*?)</ul>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no history on the item page")
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "\n"))
}

// Ensure the tagging form saves the styles, their manifestations, the families and feature 30's
// flags in one go, shows them ticked afterwards and in the summary line, and says in the history
// what was tagged, in the reviewer's language, with the taxonomy's words, never its codes.
func TestItemTaggingWithTaxonomy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, lang string
		page       []string // besides the ticked boxes
		history    []string
	}{
		{"Chinese", locale.ZhCN,
			[]string{"已标注：", "推诿扯皮、久拖不办", "作风问题", "共性", "具体表现：", "其他问题类别", "作风问题还是工作问题"},
			[]string{"标注四风 · 官僚主义", "标注细分标签 · 推诿扯皮、久拖不办、服务态度", "标注问题性质 · 作风问题、共性"}},
		{"Traditional Chinese", locale.ZhHant,
			[]string{"已標註：", "推諉扯皮、久拖不辦", "作風問題", "具體表現：", "其他問題類別"},
			[]string{"標註四風 · 官僚主義", "標註細分標籤 · 推諉扯皮、久拖不辦、服務態度", "標註問題性質 · 作風問題、共性"}},
		{"English", locale.En,
			[]string{"Tagged now: ", "Passing the buck, letting matters drag on", "Conduct problem (作风问题)", "Common (共性)",
				"How it showed:", "Other problem families", "A conduct problem or a work problem", "Not decided"},
			[]string{"Tagged the four styles (四风) · Bureaucratism (官僚主义)",
				"Tagged manifestations and problem families · Passing the buck, letting matters drag on, Attitude towards patients (服务态度)",
				"Marked the kind of problem · Conduct problem (作风问题), Common (共性)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newItemFixture(t).speaking(t, tt.lang)
			before := len(f.audit(t))
			f.action(t, "styles", url.Values{"style": {"bureaucratism"}, "tag": {"bureaucratism-buckpassing", "service_attitude"},
				"nature": {storage.NatureConduct}, "reach": {storage.ReachCommon}})
			o := f.opinion(t)
			if !slices.Equal(o.Styles, []string{"bureaucratism"}) || !slices.Equal(o.Tags, []string{"bureaucratism-buckpassing", "service_attitude"}) ||
				o.Nature != storage.NatureConduct || o.Reach != storage.ReachCommon {
				t.Errorf("stored styles %v tags %v nature %q reach %q", o.Styles, o.Tags, o.Nature, o.Reach)
			}
			var actions []string
			for _, a := range f.audit(t)[before:] {
				if a.Username != f.user.Username {
					t.Errorf("audit row %+v not by the reviewer", a)
				}
				actions = append(actions, a.Action+" "+a.Detail)
			}
			if want := []string{"tag bureaucratism", "subtag bureaucratism-buckpassing,service_attitude", "attributes conduct,common"}; !slices.Equal(actions, want) {
				t.Errorf("audit rows %q, want %q", actions, want)
			}

			r := f.b.get(t, "/admin/opinions/"+f.id)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, tt.page...)
			wantContains(t, r.Body, `value="bureaucratism" checked`, `value="bureaucratism-buckpassing" checked`,
				`value="service_attitude" checked`, `name="nature" value="conduct" checked`, `name="reach" value="common" checked`)
			wantNotContains(t, r.Body, `value="formalism" checked`, `value="bureaucratism-hard" checked`, `name="nature" value="" checked`)
			history := historyText(t, r.Body)
			for _, want := range tt.history {
				if !strings.Contains(history, want) {
					t.Errorf("history lacks %q:\n%s", want, history)
				}
			}
			if codes := regexp.MustCompile(`[a-z]+[-_][a-z]+|conduct|common`).FindAllString(history, -1); len(codes) > 0 {
				t.Errorf("history shows codes %q:\n%s", codes, history)
			}

			// Saving the same again with the flags left undecided: the flags' row says so.
			f.action(t, "styles", url.Values{"style": {"bureaucratism"}, "tag": {"bureaucratism-buckpassing", "service_attitude"}})
			if o := f.opinion(t); o.Nature != "" || o.Reach != "" || len(o.Tags) != 2 {
				t.Errorf("after clearing the flags: %+v", o)
			}
			undecided := map[string]string{locale.ZhCN: "标注问题性质 · 作风问题/工作问题未定、共性/个性未定",
				locale.ZhHant: "標註問題性質 · 作風問題/工作問題未定、共性/個性未定",
				locale.En:     "Marked the kind of problem · conduct or work not decided, common or individual not decided"}[tt.lang]
			if history := historyText(t, f.b.get(t, "/admin/opinions/"+f.id).Body); !strings.Contains(history, undecided) {
				t.Errorf("history lacks %q:\n%s", undecided, history)
			}
		})
	}
}

// Ensure a manifestation ticked without its style is refused beside that style, in the
// reviewer's language, with what they ticked kept and nothing saved; so are an unknown tag and
// an unknown flag.
func TestItemTaggingRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, lang string
		form       url.Values
		want       []string
	}{
		{"manifestation without its style", locale.ZhCN,
			url.Values{"style": {"hedonism"}, "tag": {"bureaucratism-buckpassing", "service_attitude"}, "nature": {"work"}},
			[]string{"勾选了“官僚主义”的具体表现，请同时勾选“官僚主义”，或取消这些表现。", `value="bureaucratism-buckpassing" checked`,
				`value="hedonism" checked`, `value="service_attitude" checked`, `name="nature" value="work" checked`}},
		{"manifestation without its style, in English", locale.En,
			url.Values{"tag": {"bureaucratism-hard"}},
			[]string{"You ticked manifestations of Bureaucratism (官僚主义) but not Bureaucratism (官僚主义) itself", `value="bureaucratism-hard" checked`}},
		{"unknown tag", locale.ZhCN, url.Values{"tag": {"no-such-tag"}}, []string{"有的标签不存在或已停用"}},
		{"unknown flag", locale.En, url.Values{"reach": {"everyone"}}, []string{"Choose one of the options listed."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newItemFixture(t).speaking(t, tt.lang)
			r := f.b.post(t, "/admin/opinions/"+f.id+"/styles", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.want...)
			if o := f.opinion(t); len(o.Styles)+len(o.Tags) != 0 || o.Nature != "" || o.Reach != "" {
				t.Errorf("refused form saved something: %+v", o)
			}
			if a := f.audit(t); len(a) != 0 {
				t.Errorf("refused form audited: %+v", a)
			}
		})
	}
	t.Run("the message is by its style", func(t *testing.T) {
		t.Parallel()
		f := newItemFixture(t)
		r := f.b.post(t, "/admin/opinions/"+f.id+"/styles", url.Values{"tag": {"bureaucratism-buckpassing"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		box := regexp.MustCompile(`(?s)<fieldset class="tag-style invalid" id="tags-bureaucratism">.*?</fieldset>`).FindString(r.Body)
		wantContains(t, box, "请同时勾选“官僚主义”")
	})
}

// Ensure a tag retired since an opinion got it stays shown and ticked on its page, marked
// retired, stays on when the form is saved, and cannot be given to another opinion.
func TestItemKeepsRetiredTag(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	ctx := context.Background()
	f.action(t, "styles", url.Values{"tag": {"service_attitude"}})
	if err := f.h.store.SetTagRetired(ctx, 0, "service_attitude", true); err != nil {
		t.Fatal(err)
	}
	r := f.b.get(t, "/admin/opinions/"+f.id)
	wantContains(t, r.Body, `value="service_attitude" checked> 服务态度 <span class="small muted">（已停用）</span>`)
	f.action(t, "styles", url.Values{"style": {"formalism"}, "tag": {"service_attitude"}})
	if o := f.opinion(t); !slices.Equal(o.Tags, []string{"service_attitude"}) {
		t.Errorf("tags after saving: %v, want the retired one kept", o.Tags)
	}

	other, _ := f.h.seed(t, storage.NewOpinion{Content: "护士态度不好。"})
	wantNotContains(t, f.b.get(t, "/admin/opinions/"+other).Body, `value="service_attitude"`)
	r = f.b.post(t, "/admin/opinions/"+other+"/styles", url.Values{"tag": {"service_attitude"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "有的标签不存在或已停用")
}

// Ensure the item page suggests what the model finds in a plain text, with the score and the
// words that drove it, ticks nothing by itself, and one click on 采纳 adds the suggestion (a
// manifestation with its style), audited as the reviewer's, after which it is no longer
// suggested; an opinion about the surroundings gets no style suggested.
func TestItemSuggestions(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	id, _ := f.h.seed(t, storage.NewOpinion{Content: runaroundText})
	item := "/admin/opinions/" + id

	r := f.b.get(t, item)
	wantStatus(t, r, http.StatusOK)
	panel := suggestionPanel(r.Body)
	wantContains(t, panel, "建议标注", "<strong>官僚主义</strong>", "<strong>推诿扯皮、久拖不办</strong>", "可能性 ", "%", "因为：",
		`name="code" value="bureaucratism"`, `name="code" value="bureaucratism-buckpassing"`, `aria-label="采纳“官僚主义”"`)
	if !regexp.MustCompile(`可能性 \d{1,3}%</span> <span class="small muted">因为：[^<]*(跑了|四趟|不归|他们管)`).MatchString(panel) {
		t.Errorf("the panel does not show the score and the words of the text that drove it:\n%s", panel)
	}
	wantNotContains(t, r.Body, `id="style-hints"`, "可能涉及", `value="bureaucratism" checked`, `value="bureaucratism-buckpassing" checked`)
	if o, _ := f.h.store.Opinion(context.Background(), id); len(o.Styles)+len(o.Tags) != 0 {
		t.Fatalf("showing suggestions tagged the opinion: %+v", o)
	}

	auditOf := func() []storage.AuditEntry {
		a, err := f.h.store.AuditOf(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	r = f.b.post(t, item+"/suggestions/accept", url.Values{"code": {"bureaucratism-buckpassing"}})
	wantStatus(t, r, http.StatusSeeOther)
	if got, want := r.location(), item+"#tags"; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	o, _ := f.h.store.Opinion(context.Background(), id)
	if !slices.Equal(o.Styles, []string{"bureaucratism"}) || !slices.Equal(o.Tags, []string{"bureaucratism-buckpassing"}) {
		t.Errorf("after accepting 推诿扯皮: styles %v tags %v, want the style with it", o.Styles, o.Tags)
	}
	var rows []string
	for _, a := range auditOf() {
		if a.Username != f.user.Username {
			t.Errorf("audit row %+v not by the reviewer", a)
		}
		rows = append(rows, a.Action+" "+a.Detail)
	}
	if want := []string{"tag +bureaucratism", "subtag +bureaucratism-buckpassing"}; !slices.Equal(rows, want) {
		t.Errorf("audit rows %q, want %q", rows, want)
	}

	r = f.b.get(t, item)
	panel = suggestionPanel(r.Body)
	wantNotContains(t, panel, `value="bureaucratism"`, `value="bureaucratism-buckpassing"`)
	wantContains(t, r.Body, `value="bureaucratism" checked`, `value="bureaucratism-buckpassing" checked`)
	history := historyText(t, r.Body)
	for _, want := range []string{"标注四风 · +官僚主义", "标注细分标签 · +推诿扯皮、久拖不办"} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q:\n%s", want, history)
		}
	}

	// Accepting what the opinion has already changes nothing.
	wantStatus(t, f.b.post(t, item+"/suggestions/accept", url.Values{"code": {"bureaucratism"}}), http.StatusSeeOther)
	if n := len(auditOf()); n != 2 {
		t.Errorf("accepting a style the opinion has: %d audit rows, want 2", n)
	}

	quiet, _ := f.h.seed(t, storage.NewOpinion{Content: parkingText})
	panel = suggestionPanel(f.b.get(t, "/admin/opinions/"+quiet).Body)
	for _, st := range []string{"formalism", "bureaucratism", "hedonism", "extravagance"} {
		wantNotContains(t, panel, `name="code" value="`+st+`"`)
	}
}

// Ensure a reviewer reading English sees the suggestions in English, the words as written.
func TestItemSuggestionsInEnglish(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t).speaking(t, locale.En)
	id, _ := f.h.seed(t, storage.NewOpinion{Content: runaroundText})
	panel := suggestionPanel(f.b.get(t, "/admin/opinions/"+id).Body)
	wantContains(t, panel, "Suggested tags", "<strong>Bureaucratism (官僚主义)</strong>",
		"<strong>Passing the buck, letting matters drag on</strong>", "% likely", "because of: ", ">Accept</button>",
		`aria-label="Accept “Bureaucratism (官僚主义)”"`)
	wantNotContains(t, panel, "建议标注", "采纳", "可能性")
}

// Ensure an opinion the model has nothing for shows no panel at all.
func TestItemNoSuggestionNoPanel(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	id, _ := f.h.seed(t, storage.NewOpinion{Content: "请问周六门诊几点开门？"})
	r := f.b.get(t, "/admin/opinions/"+id)
	wantStatus(t, r, http.StatusOK)
	wantNotContains(t, r.Body, `id="suggestions"`, "建议标注")
}

// Ensure accepting is refused to who may not tag (a liaison, who sees the opinion), to a code no
// one could give (400), to a tag retired since (422, said plainly), and without the form's token.
func TestItemAcceptRefused(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	h := f.h
	id, _ := h.seed(t, storage.NewOpinion{Content: runaroundText})
	h.walkTo(t, f.user.ID, id, lifecycle.Assigned) // to 县人民医院, the liaison's unit
	accept := "/admin/opinions/" + id + "/suggestions/accept"
	liaison := h.addUser(t, storage.NewUser{Username: "县医院联络员", Role: access.Liaison, Unit: "county-hospital"})
	lb := h.login(t, liaison.Username, staffPassword)
	lb.getCSRF(t, "/admin/queue")
	r := lb.get(t, "/admin/opinions/"+id)
	wantStatus(t, r, http.StatusOK)
	wantNotContains(t, r.Body, `id="suggestions"`, "/suggestions/accept")

	if err := h.store.SetTagRetired(context.Background(), 0, "bureaucratism-hard", true); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		b    *browser
		form url.Values
		want int
		says string
	}{
		{"liaison", lb, url.Values{"code": {"bureaucratism"}}, http.StatusForbidden, ""},
		{"unknown code", f.b, url.Values{"code": {"laziness"}}, http.StatusBadRequest, ""},
		{"no code", f.b, url.Values{}, http.StatusBadRequest, ""},
		{"retired tag", f.b, url.Values{"code": {"bureaucratism-hard"}}, http.StatusUnprocessableEntity, "“门难进、脸难看、事难办”已停用，不能再标注。"},
		{"forged", f.b, url.Values{"code": {"bureaucratism"}, "_csrf": {"forged"}}, http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *response
			if tt.name == "forged" {
				r = tt.b.postForm(t, accept, tt.form)
			} else {
				r = tt.b.post(t, accept, tt.form)
			}
			wantStatus(t, r, tt.want)
			if tt.says != "" {
				wantContains(t, r.Body, tt.says)
			}
		})
	}
	o, _ := h.store.Opinion(context.Background(), id)
	if len(o.Styles)+len(o.Tags) != 0 {
		t.Errorf("a refused accept tagged the opinion: styles %v tags %v", o.Styles, o.Tags)
	}
}

// Ensure the summary a viewer who may not tag sees, and the printed 交办单, carry the tags.
func TestItemTagsShownToAll(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	h := f.h
	id, _ := h.seed(t, storage.NewOpinion{Content: runaroundText})
	h.walkTo(t, f.user.ID, id, lifecycle.Assigned)
	wantStatus(t, f.b.post(t, "/admin/opinions/"+id+"/styles", url.Values{"style": {"bureaucratism"},
		"tag": {"bureaucratism-buckpassing", "service_attitude"}, "reach": {"individual"}}), http.StatusSeeOther)

	sheet := f.b.get(t, "/admin/opinions/"+id+"/sheet")
	wantStatus(t, sheet, http.StatusOK)
	wantContains(t, sheet.Body, "四风：官僚主义；细分标签：推诿扯皮、久拖不办、服务态度")

	liaison := h.addUser(t, storage.NewUser{Username: "县医院联络员", Role: access.Liaison, Unit: "county-hospital"})
	r := h.login(t, liaison.Username, staffPassword).get(t, "/admin/opinions/"+id)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `<p id="tags-summary"><span class="tag">推诿扯皮、久拖不办</span><span class="tag">服务态度</span> · 个性</p>`)
	wantNotContains(t, r.Body, `name="tag"`)
}
