package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

var answersRe = regexp.MustCompile(`name="answers" value="([^"]+)"`)

// trackWithCode opens /track in a fresh visitor's browser and posts the code.
func trackWithCode(t *testing.T, h *harness, code string) (*browser, *response) {
	t.Helper()
	b := h.browser()
	b.getCSRF(t, "/track")
	r := b.post(t, "/track", url.Values{"code": {code}})
	wantStatus(t, r, http.StatusOK)
	return b, r
}

// wantNoCodeIn fails when the receipt code appears in any address the responses sent the
// browser to, or in the address of a form.
func wantNoCodeIn(t *testing.T, code string, rs ...*response) {
	t.Helper()
	n := strings.ReplaceAll(code, "-", "")
	for _, r := range rs {
		for _, loc := range []string{r.location(), r.Header.Get("Content-Location"), r.Header.Get("Refresh")} {
			if loc != "" && (strings.Contains(loc, code) || strings.Contains(strings.ReplaceAll(loc, "-", ""), n)) {
				t.Errorf("the receipt code is in an address: %q", loc)
			}
		}
		for _, m := range regexp.MustCompile(`(?:action|href)="([^"]*)"`).FindAllStringSubmatch(r.Body, -1) {
			if strings.Contains(strings.ReplaceAll(m[1], "-", ""), n) {
				t.Errorf("the receipt code is in a link or a form's address: %q", m[1])
			}
		}
	}
}

// Ensure the whole exchange through the router: a reviewer asks from the item page (audited),
// the submitter sees it on /track with the code and answers (303 to an address without the
// code), the reviewer sees the answer, and the history keeps the submitter's act by its day.
func TestConversationThroughTheRouter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, u := h.staff(t)
	id, code := h.seed(t, storage.NewOpinion{Content: "输液室的椅子坏了好几把。"})

	asked := staff.post(t, "/admin/opinions/"+id+"/messages", url.Values{"kind": {"question"}, "body": {"请问是几号输液室？"}})
	wantStatus(t, asked, http.StatusSeeOther)
	if loc := asked.location(); !strings.HasPrefix(loc, "/admin/opinions/"+id) {
		t.Errorf("after asking: redirected to %q", loc)
	}
	item := staff.get(t, "/admin/opinions/"+id)
	wantContains(t, item.Body, "请问是几号输液室？", "与留言人的对话", u.Username)

	b, tracked := trackWithCode(t, h, code)
	wantContains(t, tracked.Body, "请问是几号输液室？", "办理人员", `id="track-files-warning"`, "照片里可能拍到别人的脸",
		`aria-describedby="track-files-warning"`)
	wantNotContains(t, tracked.Body, u.Username)
	m := answersRe.FindStringSubmatch(tracked.Body)
	if m == nil {
		t.Fatalf("no answer form under the question:\n%s", tracked.Body)
	}
	answered := b.post(t, "/track/message", url.Values{"code": {code}, "kind": {"answer"}, "answers": {m[1]},
		"words": {"三号输液室，靠窗那排，电话13812345678"}})
	wantStatus(t, answered, http.StatusSeeOther)
	if loc := answered.location(); loc != "/track?sent=1" {
		t.Errorf("after answering: redirected to %q, want /track?sent=1", loc)
	}
	back := b.follow(t, answered)
	wantStatus(t, back, http.StatusOK)
	wantContains(t, back.Body, `id="talk-sent"`)
	added := b.post(t, "/track/message", url.Values{"code": {code}, "kind": {"addition"}, "words": {"今天又有一把坏了。"}})
	wantStatus(t, added, http.StatusSeeOther)
	wantNoCodeIn(t, code, b.seen...)

	item = staff.get(t, "/admin/opinions/"+id)
	wantContains(t, item.Body, "三号输液室，靠窗那排", "今天又有一把坏了。", "留言人回答", "留言人补充", "向留言人提问")
	// The reviewer may not see identifiers: the number the submitter wrote is masked, as in the opinion.
	wantNotContains(t, item.Body, "13812345678")
	q := strings.Index(item.Body, "请问是几号输液室？")
	a := strings.Index(item.Body, "三号输液室")
	if q < 0 || a < q {
		t.Errorf("the answer is not shown after its question (%d, %d)", q, a)
	}
	for _, li := range historyLines(item.Body) {
		if strings.Contains(li, "留言人回答") && timeOfDayRe.MatchString(li) {
			t.Errorf("the history shows the submitter's answer with a time: %q", li)
		}
	}
	entries, err := h.store.AuditOf(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	acts := map[string]int{}
	for _, e := range entries {
		switch {
		case e.Action == "ask" && e.Username == u.Username && !e.At.IsZero():
			acts["ask"]++
		case e.Public && e.Username == "" && e.At.IsZero():
			acts[e.Action]++
		}
	}
	if acts["ask"] != 1 || acts["answer"] != 1 || acts["addition"] != 1 {
		t.Errorf("history acts %v: want the reviewer's question with its time, the answer and the addition by day", acts)
	}
	// On /track the submitter reads their own words as written.
	_, again := trackWithCode(t, h, code)
	wantContains(t, again.Body, "三号输液室，靠窗那排，电话13812345678", "今天又有一把坏了。")
}

// Ensure refusals keep the words: an empty answer, a text too long, a wrong code, a code that
// does not parse; each with its message next to the field and the words shown again.
func TestConversationRefusalsKeepTheWords(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, u := h.staff(t)
	id, code := h.seed(t, storage.NewOpinion{})
	if err := h.store.PostStaffMessage(context.Background(), u.ID, id, storage.MessageQuestion, "哪天？"); err != nil {
		t.Fatal(err)
	}
	b, tracked := trackWithCode(t, h, code)
	qid := answersRe.FindStringSubmatch(tracked.Body)[1]
	long := strings.Repeat("长", storage.MaxMessageLength+1)
	wrong := strings.Replace(code, code[len(code)-1:], "Z", 1)
	if wrong == code {
		wrong = strings.Replace(code, code[len(code)-1:], "Y", 1)
	}
	for _, tc := range []struct {
		name   string
		vals   url.Values
		status int
		words  string
		say    string
	}{
		{"empty answer", url.Values{"code": {code}, "kind": {"answer"}, "answers": {qid}, "words": {"  "}}, http.StatusUnprocessableEntity, "", "请先写下您要说的话"},
		{"too long addition", url.Values{"code": {code}, "kind": {"addition"}, "words": {long}}, http.StatusUnprocessableEntity, long, "5000"},
		{"another opinion's question", url.Values{"code": {code}, "kind": {"answer"}, "answers": {"NOTAQUESTION"}, "words": {"周二下午"}}, http.StatusUnprocessableEntity, "周二下午", "这个问题找不到了"},
		{"wrong code", url.Values{"code": {wrong}, "kind": {"addition"}, "words": {"我的补充"}}, http.StatusNotFound, "我的补充", ""},
		{"malformed code", url.Values{"code": {"abc"}, "kind": {"addition"}, "words": {"我的补充"}}, http.StatusUnprocessableEntity, "我的补充", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.post(t, "/track/message", tc.vals)
			wantStatus(t, r, tc.status)
			if tc.words != "" {
				wantContains(t, r.Body, tc.words)
			}
			if tc.say != "" {
				wantContains(t, r.Body, `class="field-error"`, tc.say)
			}
		})
	}
	wantNoCodeIn(t, code, b.seen...)
	if msgs, _ := h.store.Thread(context.Background(), id); len(msgs) != 1 {
		t.Errorf("refused posts wrote messages: %+v", msgs)
	}
}

// Ensure that after 销号 the forms are gone on both sides and a post is refused in plain words,
// the words still shown.
func TestConversationClosedAfterStrikeOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, u := h.staff(t)
	id, code := h.seed(t, storage.NewOpinion{})
	if err := h.store.PostStaffMessage(context.Background(), u.ID, id, storage.MessageQuestion, "哪天？"); err != nil {
		t.Fatal(err)
	}
	b, tracked := trackWithCode(t, h, code)
	qid := answersRe.FindStringSubmatch(tracked.Body)[1]
	h.walkTo(t, u.ID, id, lifecycle.Closed)

	_, closed := trackWithCode(t, h, code)
	wantContains(t, closed.Body, "哪天？", `id="conversation-closed"`)
	wantNotContains(t, closed.Body, `action="/track/message"`)
	r := b.post(t, "/track/message", url.Values{"code": {code}, "kind": {"answer"}, "answers": {qid}, "words": {"周一上午"}})
	wantStatus(t, r, http.StatusConflict)
	wantContains(t, r.Body, "对话已经结束", "周一上午")

	item := staff.get(t, "/admin/opinions/"+id)
	wantContains(t, item.Body, "对话已经结束")
	wantNotContains(t, item.Body, `/messages"`)
	refused := staff.post(t, "/admin/opinions/"+id+"/messages", url.Values{"kind": {"message"}, "body": {"谢谢您的配合"}})
	wantStatus(t, refused, http.StatusConflict)
	wantContains(t, refused.Body, "谢谢您的配合")
	if msgs, _ := h.store.Thread(context.Background(), id); len(msgs) != 1 {
		t.Errorf("posts after 销号 were written: %+v", msgs)
	}
}

// Ensure only staff who can open the item may write to its submitter, and that a staff form
// refused keeps the words (422).
func TestConversationStaffScope(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	liaison := h.staffAs(t, access.Liaison) // county-hospital's
	reviewer, _ := h.staff(t)
	theirs, _ := h.seed(t, storage.NewOpinion{UnitCode: "county-hospital"})
	other, _ := h.seed(t, storage.NewOpinion{UnitCode: "tcm-hospital"})
	h.walkTo(t, 0, theirs, lifecycle.Assigned) // handed to county-hospital; other stays with the office

	r := liaison.post(t, "/admin/opinions/"+other+"/messages", url.Values{"kind": {"question"}, "body": {"别的单位的"}})
	wantStatus(t, r, http.StatusNotFound)
	wantStatus(t, liaison.post(t, "/admin/opinions/"+theirs+"/messages", url.Values{"kind": {"question"}, "body": {"本单位的提问"}}), http.StatusSeeOther)
	for _, tc := range []struct {
		name string
		vals url.Values
		keep string
	}{
		{"no kind", url.Values{"body": {"没有选类型"}}, "没有选类型"},
		{"empty body", url.Values{"kind": {"message"}, "body": {" "}}, ""},
		{"too long", url.Values{"kind": {"message"}, "body": {strings.Repeat("字", 5001)}}, strings.Repeat("字", 5001)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := reviewer.post(t, "/admin/opinions/"+theirs+"/messages", tc.vals)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, `class="field-error"`, tc.keep)
		})
	}
	if msgs, _ := h.store.Thread(context.Background(), other); len(msgs) != 0 {
		t.Errorf("a liaison wrote to another unit's submitter: %+v", msgs)
	}
	if msgs, _ := h.store.Thread(context.Background(), theirs); len(msgs) != 1 {
		t.Errorf("thread of the liaison's own item: %+v", msgs)
	}
}

// Ensure a body over the limit is refused (413) with the opinion and the words given back.
func TestConversationOversizeKeepsTheWords(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, code := h.seed(t, storage.NewOpinion{})
	b, _ := trackWithCode(t, h, code)
	words := strings.Repeat("很长的补充", 2400) // about 108 KB once form-encoded: over 64 KB, under 256 KB
	r := b.post(t, "/track/message", url.Values{"code": {code}, "kind": {"addition"}, "words": {words}})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantContains(t, r.Body, words, "您的话还没有发出")
	wantNoCodeIn(t, code, b.seen...)
}

// Ensure a submitter writing in English is sent back to the English /track.
func TestConversationSentBackInTheirLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, code := h.seed(t, storage.NewOpinion{})
	b := h.browser()
	b.getCSRF(t, "/en/track")
	r := b.post(t, "/en/track/message", url.Values{"code": {code}, "kind": {"addition"}, "words": {"It happened again."}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.location(); loc != "/en/track?sent=1" {
		t.Errorf("redirected to %q, want /en/track?sent=1", loc)
	}
	wantContains(t, b.follow(t, r).Body, "Sent: the staff will see it.")
}
