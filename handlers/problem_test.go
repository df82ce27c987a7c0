package handlers_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// problemFixture is two people who reported the same thing in different words (seeded today,
// so the near-duplicates are read by rows), and a third opinion about something else.
type problemFixture struct {
	h                    *harness
	first, second, other string
	firstCode, secCode   string
}

func newProblemFixture(t *testing.T) *problemFixture {
	t.Helper()
	h := newHarness(t)
	f := &problemFixture{h: h}
	f.first, f.firstCode = h.seed(t, storage.NewOpinion{Content: "门诊挂号窗口太少了，每天早上排队两个多小时才挂上号，老人根本站不住。"})
	f.second, f.secCode = h.seed(t, storage.NewOpinion{Content: "挂号窗口太少，早上排队要两个多小时，老人站不住，希望多开几个挂号窗口。"})
	f.other, _ = h.seed(t, storage.NewOpinion{Content: "住院部的停车场收费太贵，一天要五十元。"})
	return f
}

// problemOf is the problem the opinion is in, the zero Problem for none.
func (f *problemFixture) problemOf(t *testing.T, id string) storage.Problem {
	t.Helper()
	p, err := f.h.store.ProblemOf(context.Background(), id, nil)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		t.Fatal(err)
	}
	return p
}

// TestSimilarPanelGroupsAndSplits: the second's item page suggests the first with a
// similarity; 归入同一问题 without a title asks for one (422, the choice kept); with a title it
// makes the problem (303), whose title and count the item page shows; 移出问题 splits it.
func TestSimilarPanelGroupsAndSplits(t *testing.T) {
	f := newProblemFixture(t)
	b, _ := f.h.staff(t)
	item := "/admin/opinions/" + f.second
	r := b.getCSRF(t, item)
	wantContains(t, r.Body, `id="similar-heading"`, `id="similar-`+f.first+`"`, "相似度 ", `value="`+f.first+`"`, "归入同一问题")
	wantNotContains(t, r.Body, `id="similar-`+f.other+`"`)

	group := item + "/problem/group"
	r = b.post(t, group, url.Values{"other": {f.first}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, html.UnescapeString(r.Body), "请为新问题填写标题", `aria-invalid="true"`)
	if p := f.problemOf(t, f.second); p.ID != "" {
		t.Fatalf("a refused grouping made problem %s", p.ID)
	}

	long := strings.Repeat("挂", storage.MaxProblemTitle+1)
	r = b.post(t, group, url.Values{"other": {f.first}, "title": {long}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, html.UnescapeString(r.Body), "不超过 60 个字", `value="`+long+`"`)

	r = b.post(t, group, url.Values{"other": {f.first}, "title": {"挂号窗口太少"}})
	wantStatus(t, r, http.StatusSeeOther)
	p := f.problemOf(t, f.second)
	if p.Count != 2 || p.Title != "挂号窗口太少" {
		t.Fatalf("problem after grouping: %+v", p)
	}
	for _, id := range []string{f.first, f.second} {
		body := html.UnescapeString(b.get(t, "/admin/opinions/"+id).Body)
		wantContains(t, body, `href="/admin/problems/`+p.ID+`"`, "挂号窗口太少", "2 人反映")
	}
	// The other one is no longer suggested: it is in this opinion's problem.
	wantNotContains(t, b.get(t, item).Body, `id="similar-`+f.first+`"`)

	// The carrier may not leave while the other is in; the member may.
	member := f.first
	if p.Carrier == f.first {
		member = f.second
	}
	r = b.post(t, "/admin/opinions/"+p.Carrier+"/problem/leave", nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, html.UnescapeString(r.Body), "是这个问题的承办件")
	wantStatus(t, b.post(t, "/admin/opinions/"+member+"/problem/leave", nil), http.StatusSeeOther)
	if o, _ := f.h.store.Opinion(context.Background(), member); o.Status != lifecycle.Triaged || o.MergedInto != "" {
		t.Errorf("after 移出问题: %s merged into %q", o.Status, o.MergedInto)
	}
	hist := html.UnescapeString(b.get(t, "/admin/opinions/"+member).Body)
	wantContains(t, hist, "归入问题", "移出问题")
}

// TestNewProblemForm: 新建问题 for one opinion: a missing or long title is refused with the
// input kept; a good one makes the problem; an opinion in a problem is refused.
func TestNewProblemForm(t *testing.T) {
	f := newProblemFixture(t)
	b, _ := f.h.staff(t)
	target := "/admin/opinions/" + f.other + "/problem/new"
	b.getCSRF(t, "/admin/opinions/"+f.other)
	tests := []struct {
		name, title string
		code        int
		want        []string
	}{
		{"no title", "  ", 422, []string{"请填写问题标题，不超过 60 个字。"}},
		{"too long", strings.Repeat("停", 61), 422, []string{`value="` + strings.Repeat("停", 61) + `"`}},
		{"made", "停车收费贵", 303, nil},
		{"already in one", "再建一个", 422, []string{"已经在一个问题中"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post(t, target, url.Values{"title": {tt.title}})
			wantStatus(t, r, tt.code)
			wantContains(t, html.UnescapeString(r.Body), tt.want...)
		})
	}
	if p := f.problemOf(t, f.other); p.Title != "停车收费贵" || p.Count != 1 {
		t.Errorf("problem %+v", p)
	}
	// Alone in its problem, the carrier may leave: the problem is dissolved.
	wantStatus(t, b.post(t, "/admin/opinions/"+f.other+"/problem/leave", nil), http.StatusSeeOther)
	if p := f.problemOf(t, f.other); p.ID != "" {
		t.Errorf("the problem outlived its carrier: %+v", p)
	}
}

// TestGroupingRoles: only the roles that may move an opinion to 重复 and back group and split;
// others are refused, and an opinion someone may not open stays hidden (404), on either end.
func TestGroupingRoles(t *testing.T) {
	f := newProblemFixture(t)
	reviewer, u := f.h.staff(t)
	report, _ := f.h.seed(t, storage.NewOpinion{Type: "report", Content: "某医生收红包，挂号窗口太少"})
	// The first is handed to county-hospital, so its liaison can open it.
	f.h.walkTo(t, u.ID, f.first, lifecycle.Assigned)
	discipline := f.h.staffAs(t, access.Discipline)
	tests := []struct {
		name  string
		b     *browser
		id    string
		other string
		code  int
	}{
		{"supervisor may not group", f.h.staffAs(t, access.Supervisor), f.second, f.first, http.StatusForbidden},
		{"liaison may not group", f.h.staffAs(t, access.Liaison), f.first, f.second, http.StatusForbidden},
		{"leader may not group", f.h.staffAs(t, access.Leader), f.second, f.first, http.StatusForbidden},
		{"discipline does not see ordinary opinions", discipline, f.second, f.first, http.StatusNotFound},
		{"reviewer may not reach a 举报", reviewer, f.second, report, http.StatusUnprocessableEntity},
		{"reviewer may not open a 举报's page", reviewer, report, f.second, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.post(t, "/admin/opinions/"+tt.id+"/problem/group", url.Values{"other": {tt.other}, "title": {"挂号难"}})
			wantStatus(t, r, tt.code)
			if p := f.problemOf(t, tt.id); p.ID != "" {
				t.Errorf("grouped anyway into %s", p.ID)
			}
		})
	}
	// Discipline groups 举报 with 举报.
	report2, _ := f.h.seed(t, storage.NewOpinion{Type: "report", Content: "收红包的事"})
	r := discipline.post(t, "/admin/opinions/"+report+"/problem/group", url.Values{"other": {report2}, "title": {"收红包"}})
	wantStatus(t, r, http.StatusSeeOther)
	if p := f.problemOf(t, report); p.Count != 2 {
		t.Errorf("two 举报 grouped by discipline: %+v", p)
	}
}

// TestProblemPageAndQueueView: the problem's page shows its title, count, units, months and the
// members the viewer may open, with how many others exist; the title can be changed (422 with
// the input kept, 303); the queue lists problems by how many raised them and filters by one.
func TestProblemPageAndQueueView(t *testing.T) {
	f := newProblemFixture(t)
	ctx := context.Background()
	b, u := f.h.staff(t)
	f.h.walkTo(t, u.ID, f.first, lifecycle.Assigned) // the carrier, handed to county-hospital
	pid, err := f.h.store.Group(ctx, u.ID, f.second, f.first, "挂号窗口太少")
	if err != nil {
		t.Fatal(err)
	}
	third, _ := f.h.seed(t, storage.NewOpinion{UnitCode: "bureau", Content: "挂号要排很久"})
	if err := f.h.store.Join(ctx, u.ID, third, pid); err != nil {
		t.Fatal(err)
	}
	small, err := f.h.store.NewProblem(ctx, u.ID, f.other, "停车贵")
	if err != nil {
		t.Fatal(err)
	}

	page := "/admin/problems/" + pid
	body := html.UnescapeString(b.getCSRF(t, page).Body)
	wantContains(t, body, "问题：挂号窗口太少", "3 人反映", `href="/admin/opinions/`+f.first+`"`, "查看整改（承办件 "+f.first+"）",
		`href="/admin/opinions/`+third+`"`)
	wantNotContains(t, body, `id="problem-hidden"`)

	wantStatus(t, b.post(t, page+"/title", url.Values{"title": {""}}), http.StatusUnprocessableEntity)
	r := b.post(t, page+"/title", url.Values{"title": {strings.Repeat("号", 61)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, `value="`+strings.Repeat("号", 61)+`"`)
	wantStatus(t, b.post(t, page+"/title", url.Values{"title": {"挂号难"}}), http.StatusSeeOther)
	wantContains(t, b.get(t, page).Body, "挂号难")

	// The liaison of county-hospital opens the carrier only; the other two are counted.
	liaison := f.h.staffAs(t, access.Liaison)
	body = html.UnescapeString(liaison.get(t, page).Body)
	wantContains(t, body, "3 人反映", `href="/admin/opinions/`+f.first+`"`, "另有 2 条意见属于这个问题")
	wantNotContains(t, body, `href="/admin/opinions/`+third+`"`, `id="problem-title-form"`)
	wantStatus(t, liaison.post(t, page+"/title", url.Values{"title": {"改名"}}), http.StatusForbidden)
	// Discipline may open none of it: 404, like a problem that does not exist.
	disc := f.h.staffAs(t, access.Discipline)
	wantStatus(t, disc.get(t, page), http.StatusNotFound)
	wantStatus(t, b.get(t, "/admin/problems/NOSUCHPROB"), http.StatusNotFound)

	// The queue as problems: most people first.
	body = html.UnescapeString(b.get(t, "/admin/queue?view=problems").Body)
	big, little := strings.Index(body, `href="/admin/problems/`+pid+`"`), strings.Index(body, `href="/admin/problems/`+small+`"`)
	if big < 0 || little < 0 || big > little {
		t.Errorf("problems view: the big problem at %d, the small at %d", big, little)
	}
	wantContains(t, body, "3 人反映", "1 人反映", `href="/admin/queue?problem=`+pid+`"`)
	// Opinions filtered by a problem.
	body = html.UnescapeString(b.get(t, "/admin/queue?problem="+pid).Body)
	wantContains(t, body, `id="problem-filter"`, "挂号难", `href="/admin/opinions/`+f.first+`"`, `href="/admin/opinions/`+third+`"`)
	wantNotContains(t, body, `href="/admin/opinions/`+f.other+`"`)
	// A forged filter is dropped rather than trusted.
	wantNotContains(t, b.get(t, "/admin/queue?problem=x'%20OR%201").Body, `id="problem-filter"`)
}

// TestTrackSaysHandledTogether: every submitter of a problem's opinions reads on /track, in
// their language, that theirs is handled with N similar ones, never whose or what they said;
// the status and deadline follow the carrier.
func TestTrackSaysHandledTogether(t *testing.T) {
	f := newProblemFixture(t)
	ctx := context.Background()
	u := f.h.newStaff(t, "审核员乙")
	f.h.walkTo(t, u.ID, f.first, lifecycle.Assigned)
	if _, err := f.h.store.Group(ctx, u.ID, f.second, f.first, "门诊挂号难题"); err != nil {
		t.Fatal(err)
	}
	// Words only the first wrote, and only the second.
	firstWords, secondWords := "根本站不住", "希望多开几个"
	tests := []struct {
		name, prefix, code, want, others string
	}{
		{"carrier zh-CN", "", f.firstCode, "还有 1 位群众反映了相似的情况", secondWords},
		{"member zh-CN", "", f.secCode, "还有 1 位群众反映了相似的情况", firstWords},
		{"member zh-Hant", "/zh-Hant", f.secCode, "還有 1 位羣衆反映了相似的情況", "根本站不住"},
		{"member English", "/en", f.secCode, "1 other person reported something similar", firstWords},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := f.h.browser()
			b.getCSRF(t, tt.prefix+"/track")
			r := b.post(t, tt.prefix+"/track", url.Values{"code": {tt.code}})
			wantStatus(t, r, http.StatusOK)
			body := html.UnescapeString(r.Body)
			wantContains(t, body, tt.want, `id="together"`, "2030")
			// Never who, never their words, nor staff's title or ids.
			wantNotContains(t, body, tt.others, "门诊挂号难题", f.first, f.second)
		})
	}
	// An opinion in no problem says nothing of the kind.
	_, code := f.h.seed(t, storage.NewOpinion{})
	b := f.h.browser()
	b.getCSRF(t, "/track")
	wantNotContains(t, b.post(t, "/track", url.Values{"code": {code}}).Body, `id="together"`)
}
