package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/receipt"
	"minsheng/storage"
)

var codeFieldRe = regexp.MustCompile(`id="code" name="code"[^>]* value="([^"]*)"`)

func TestTrack(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	staffUser := h.newStaff(t, "审核员乙")
	id, code := h.seed(t, storage.NewOpinion{Content: "住院部晚上热水经常没有，反映多次没人管。", Dept: "住院部"})
	const reply = "已联系后勤科检修热水系统，本周内完成。"
	const note = "内部：后勤科长说锅炉要换，预算未批"
	h.walkTo(t, staffUser.ID, id, "rectifying")
	if err := h.store.SetReply(ctx, staffUser.ID, id, reply); err != nil {
		t.Fatalf("SetReply: %v", err)
	}
	if err := h.store.AddNote(ctx, staffUser.ID, id, note); err != nil {
		t.Fatalf("AddNote: %v", err)
	}
	norm, _ := receipt.Parse(code)
	// A well-formed code that belongs to nothing.
	unknown := receipt.New()
	for unknown == code {
		unknown = receipt.New()
	}

	found := []struct {
		name string
		code string
	}{
		{"as shown", code},
		{"normalised", norm},
		{"lower case", strings.ToLower(code)},
		{"spaces", strings.ReplaceAll(code, "-", " ")},
		{"lower case with spaces around", "  " + strings.ToLower(strings.ReplaceAll(code, "-", " ")) + "  "},
		{"full-width spaces", strings.ReplaceAll(code, "-", "\u3000")},
	}
	for _, tc := range found {
		t.Run("found/"+tc.name, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, "/track")
			r := b.post(t, "/track", url.Values{"code": {tc.code}})
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, "处理进展", "负责单位正在整改", "整改时限", "2030-01-01", "答复", reply, "县人民医院 · 住院部", "住院部晚上热水经常没有")
			wantNotContains(t, r.Body, note, "内部：", "审核员乙", id)
		})
	}

	notFound := []struct {
		name   string
		code   string
		status int
		msg    string
	}{
		{"malformed short", "ABCD-1234", 422, "查询码应为 20 位字母和数字，请核对后再输入。"},
		{"malformed letters", strings.Repeat("U", 20), 422, "查询码应为 20 位字母和数字"},
		{"malformed empty", "", 422, "查询码应为 20 位字母和数字"},
		{"malformed html", `<b>"x"</b>`, 422, "查询码应为 20 位字母和数字"},
		{"unknown", unknown, 404, "没有找到这个查询码"},
		{"unknown lower", strings.ToLower(unknown), 404, "没有找到这个查询码"},
	}
	for _, tc := range notFound {
		t.Run("not found/"+tc.name, func(t *testing.T) {
			b := h.browser()
			b.getCSRF(t, "/track")
			r := b.post(t, "/track", url.Values{"code": {tc.code}})
			wantStatus(t, r, tc.status)
			wantContains(t, r.Body, tc.msg)
			m := codeFieldRe.FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no code field in the answer")
			}
			if got := html.UnescapeString(m[1]); got != tc.code {
				t.Errorf("code field got %q, want the typed %q", got, tc.code)
			}
			wantNotContains(t, r.Body, reply, "<b>")
		})
	}

	t.Run("code in URL is ignored", func(t *testing.T) {
		b := h.browser()
		for _, target := range []string{"/track?code=" + url.QueryEscape(code), "/track?code=" + norm} {
			r := b.get(t, target)
			wantStatus(t, r, http.StatusOK)
			wantNotContains(t, r.Body, reply, "处理状态", norm, code)
			m := codeFieldRe.FindStringSubmatch(r.Body)
			if m == nil || m[1] != "" {
				t.Errorf("GET %s: code field got %v, want the empty form", target, m)
			}
		}
	})

	t.Run("without csrf", func(t *testing.T) {
		b := h.browser()
		b.get(t, "/track")
		r := b.postForm(t, "/track", url.Values{"code": {code}})
		wantStatus(t, r, http.StatusForbidden)
		wantNotContains(t, r.Body, reply, "处理状态")
		wantContains(t, r.Body, "页面停留太久已过期")
		if m := codeFieldRe.FindStringSubmatch(r.Body); m == nil || html.UnescapeString(m[1]) != code {
			t.Errorf("code field got %v, want the typed %q kept", m, code)
		}
	})
}

func TestTrackNoReplyYet(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	r := b.submit(t, validOpinion())
	wantStatus(t, r, http.StatusOK)
	code := receiptOf(t, r)
	r = b.post(t, "/track", url.Values{"code": {code}})
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "已收到", "还没有答复", "收费处排队两个小时")
}

// TestTrackMissesShareABudget: wrong codes share one budget; a burst beyond it is told to wait,
// politely, with the typed code kept, while a malformed code (no database work) never is. A
// flood's effect on real codes is TestFloodOfWrongCodesLeavesRealCodesWorking.
func TestTrackMissesShareABudget(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	b.getCSRF(t, "/track")
	for i := range 100 {
		if r := b.post(t, "/track", url.Values{"code": {"ABCD"}}); r.Code != http.StatusUnprocessableEntity {
			t.Fatalf("malformed code %d: status %d, want 422", i, r.Code)
		}
	}
	var limited *response
	var typed string
	for i := 0; i < 300 && limited == nil; i++ {
		typed = receipt.New()
		r := b.post(t, "/track", url.Values{"code": {typed}})
		switch r.Code {
		case http.StatusNotFound:
		case http.StatusTooManyRequests:
			limited = r
		default:
			t.Fatalf("look-up %d: status %d", i, r.Code)
		}
	}
	if limited == nil {
		t.Fatal("300 wrong codes in a row were never limited")
	}
	wantContains(t, limited.Body, "请等一分钟", `value="`+typed+`"`)
	if got := limited.Header.Get("Retry-After"); got == "" {
		t.Errorf("429 without Retry-After")
	}
}
