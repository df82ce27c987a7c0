package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

var historyRe = regexp.MustCompile(`(?s)<h2>处理记录</h2>\s*<ul class="audit">(.*?)</ul>`)

// historyOf returns the text of the 处理记录 list of an item page.
func historyOf(t *testing.T, body string) string {
	t.Helper()
	m := historyRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no 处理记录 on the item page")
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "\n"))
}

// latinRe finds what a code looks like: Latin letters, or key=value.
var latinRe = regexp.MustCompile(`[A-Za-z_]+|=`)

// Ensure an item's history speaks Chinese: every action a reviewer, a transcriber and the
// submitter can take on an opinion (classify with a level, tag, flag, reply, note, publish,
// every status step, a rating, typing in a letter) is listed in words, with no code such as
// level=department, basically or letter; the submitter's rating carries no name and no time.
func TestItemHistoryInWords(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	item := "/admin/opinions/" + f.id
	f.action(t, "classify", url.Values{"level": {"department"}, "about_leadership": {"1"}})
	f.action(t, "styles", url.Values{"style": {"bureaucratism", "hedonism"}})
	f.action(t, "flags", url.Values{"accountability": {"1"}, "unfounded": {"1"}})
	f.action(t, "reply", url.Values{"reply": {"已转交门诊部核实处理。"}})
	f.action(t, "note", url.Values{"note": {"请门诊部三天内回复。"}})
	if err := f.h.store.Transition(context.Background(), f.user.ID, f.id, fullStep(lifecycle.Assigned, "")); err != nil {
		t.Fatalf("assign: %v", err) // classify made it 已分类
	}
	f.action(t, "publish", url.Values{"pub_title": {"急诊科值班问题"}, "pub_body": {"已责成急诊科整改。"}})
	f.action(t, "unpublish", url.Values{})
	f.action(t, "classify", url.Values{"level": {""}})
	for _, st := range lifecycle.PathTo(lifecycle.Satisfaction)[2:] {
		if err := f.h.store.Transition(context.Background(), f.user.ID, f.id, fullStep(st, "")); err != nil {
			t.Fatalf("step to %s: %v", st, err)
		}
	}
	rater := f.h.browser()
	rater.getCSRF(t, "/track")
	wantStatus(t, rater.post(t, "/track/rate", url.Values{"code": {f.code}, "rating": {"basically"},
		"words": {"热水有了，但是晚上还是没有。"}}), http.StatusOK)

	r := f.b.get(t, item)
	wantStatus(t, r, http.StatusOK)
	history := historyOf(t, r.Body)
	for _, want := range []string{"分类 · 问题层次：科室；涉及班子", "分类 · 问题层次：未定", "标注四风 · 官僚主义、享乐主义",
		"标记 · 查无实据、追责", "答复", "添加备注", "公示 · 急诊科值班问题", "撤下公示", "更改状态 · 已分类→已交办",
		"更改状态 · 回头看→满意度回访", "留言人 · 留言人评价 · 基本满意"} {
		if !strings.Contains(history, want) {
			t.Errorf("history lacks %q:\n%s", want, history)
		}
	}
	if codes := latinRe.FindAllString(history, -1); len(codes) > 0 {
		t.Errorf("history shows codes %q:\n%s", codes, history)
	}
	if m := regexp.MustCompile(`(\d{4}-\d{2}-\d{2})([^·]*) · 留言人`).FindStringSubmatch(history); m == nil || m[2] != "（只记日期）" {
		t.Errorf("the rating's line %q: want its date only, no time of day and no staff name", m)
	}

	// A transcribed letter: its first line says how and when it came, in words.
	f.b.getCSRF(t, "/admin/transcribe")
	tr := f.b.post(t, "/admin/transcribe", slip())
	if tr.Code != http.StatusSeeOther && tr.Code != http.StatusOK {
		t.Fatalf("transcribe: status %d\n%s", tr.Code, tr.Body)
	}
	list, err := f.h.store.ListOpinions(context.Background(), storage.OpinionFilter{Channel: "letter"}, storage.Cursor{}, 10)
	if err != nil || len(list.Opinions) != 1 {
		t.Fatalf("the transcribed letter: %v %v", list.Opinions, err)
	}
	letter := historyOf(t, f.b.get(t, "/admin/opinions/"+list.Opinions[0].ID).Body)
	if !strings.Contains(letter, "录入来件 · 信函，2026-04-10 收到") || latinRe.MatchString(letter) {
		t.Errorf("the transcribed letter's history, want 录入来件 · 信函，2026-04-10 收到 and no code:\n%s", letter)
	}
}
