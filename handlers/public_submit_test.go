package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"minsheng/receipt"
	"minsheng/storage"
)

func TestSubmitHappyPath(t *testing.T) {
	t.Parallel()
	h := newHarness(t, onSQLite) // it reads the SQLite file itself (PostgreSQL: storage's own tests)
	b := h.browser()
	vals := url.Values{
		"type":      {"suggestion"},
		"unit":      {"tcm-hospital"},
		"dept":      {"针灸科"},
		"submitter": {"family"},
		"content":   {"针灸科的候诊椅子太少了，老人只能站着等，建议多放几把椅子。"},
		"contact":   {"微信 abc123"},
	}
	r := b.submit(t, vals)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "您的意见已经保存", "请现在抄下或截图保存")
	code := receiptOf(t, r)
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("receipt.Parse(%q): %v", code, err)
	}
	if code != receipt.Format(norm) {
		t.Errorf("receipt shown as %q, want grouped form %q", code, receipt.Format(norm))
	}

	o, err := h.store.OpinionByReceipt(context.Background(), h.hasher.Hash(norm))
	if err != nil {
		t.Fatalf("OpinionByReceipt: %v", err)
	}
	got := storage.NewOpinion{Type: o.Type, UnitCode: o.UnitCode, Dept: o.Dept, Submitter: o.Submitter, Content: o.Content, Contact: o.Contact}
	want := storage.NewOpinion{Type: "suggestion", UnitCode: "tcm-hospital", Dept: "针灸科", Submitter: "family",
		Content: vals.Get("content"), Contact: "微信 abc123"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored opinion:\n got %+v\nwant %+v", got, want)
	}
	if o.Status != "received" || o.CreatedOn != "2026-04-15" || len(o.Styles) != 0 || o.Reply != "" {
		t.Errorf("stored opinion state: status %q, created %q, styles %v, reply %q; want received, 2026-04-15, none, empty",
			o.Status, o.CreatedOn, o.Styles, o.Reply)
	}
	if n := h.countOpinions(t); n != 1 {
		t.Errorf("opinions stored: got %d, want 1", n)
	}

	// The receipt never travels in a header and is never written to disk in any form.
	forms := []string{code, norm, strings.ToLower(code), strings.ToLower(norm)}
	for _, resp := range b.seen {
		for name, vs := range resp.Header {
			for _, v := range vs {
				for _, f := range forms {
					if strings.Contains(v, f) {
						t.Errorf("receipt %q found in response header %s: %q", f, name, v)
					}
				}
			}
		}
	}
	db := h.dbBytes(t)
	for _, f := range forms {
		if bytes.Contains(db, []byte(f)) {
			t.Errorf("receipt form %q found in the database files", f)
		}
	}
	if strings.Contains(h.logs.String(), norm) || strings.Contains(h.logs.String(), code) {
		t.Errorf("receipt found in the log")
	}
}

// TestSubmitExactText checks that what a person writes is stored byte for byte and always
// shown escaped.
func TestSubmitExactText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	tests := []struct {
		name    string
		content string
		escaped string // must appear in pages that show the content
		raw     string // must never appear raw in those pages
	}{
		{"exactly 10", "一二三四五六七八九十", "一二三四五六七八九十", ""},
		{"exactly 5000", strings.Repeat("字", 5000), strings.Repeat("字", 5000), ""},
		{"emoji", "😡😡 医生态度太差了，排队三小时 🏥", "😡😡 医生态度太差了，排队三小时 🏥", ""},
		{"script", `<script>alert("x")</script> 收费处乱收费`, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "<script>alert"},
		{"formula", "=SUM(A1) 这是我反映的问题，请核实", "=SUM(A1) 这是我反映的问题，请核实", ""},
		{"traditional", "醫院掛號處態度惡劣，請儘快處理這件事。", "醫院掛號處態度惡劣，請儘快處理這件事。", ""},
		{"multi-line", "第一行：排队太久\n第二行：没人管 & 没人问", "第一行：排队太久\n第二行：没人管 &amp; 没人问", "没人管 & 没人问"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := h.browser()
			vals := validOpinion()
			vals.Set("content", tc.content)
			r := b.submit(t, vals)
			wantStatus(t, r, http.StatusOK)
			code := receiptOf(t, r)
			norm, _ := receipt.Parse(code)
			o, err := h.store.OpinionByReceipt(context.Background(), h.hasher.Hash(norm))
			if err != nil {
				t.Fatalf("OpinionByReceipt: %v", err)
			}
			if o.Content != tc.content {
				t.Errorf("stored content:\n got %q\nwant %q", o.Content, tc.content)
			}
			tr := b.post(t, "/track", url.Values{"code": {code}})
			wantStatus(t, tr, http.StatusOK)
			item := staff.get(t, "/admin/opinions/"+o.ID)
			wantStatus(t, item, http.StatusOK)
			for page, body := range map[string]string{"track": tr.Body, "item": item.Body} {
				if !strings.Contains(body, tc.escaped) {
					t.Errorf("%s page does not show %q", page, excerptOf(tc.escaped))
				}
				if tc.raw != "" && strings.Contains(body, tc.raw) {
					t.Errorf("%s page shows %q unescaped", page, tc.raw)
				}
			}
		})
	}
}

func excerptOf(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// TestSubmitFailures: each failure gives the form back with the person's text and a new
// captcha, and stores nothing.
func TestSubmitFailures(t *testing.T) {
	t.Parallel()
	const text = "药房拿药要排三次队，说明书上写的和医生说的不一样 <请核实> & 回复"
	tests := []struct {
		name   string
		edit   func(v url.Values)
		csrf   string // "ok", "missing", "wrong", "no cookie"
		wrongC bool   // answer the captcha wrongly
		status int
		msg    string
	}{
		{"content empty", func(v url.Values) { v.Set("content", "   ") }, "ok", false, 422, "请写下具体情况。"},
		{"content 9 chars", func(v url.Values) { v.Set("content", "一二三四五六七八九") }, "ok", false, 422, "内容太短了，请至少写 10 个字"},
		{"content 5001 chars", func(v url.Values) { v.Set("content", strings.Repeat("长", 5001)) }, "ok", false, 422, "内容太长了：最多 5000 个字，现在是 5001 个字。"},
		{"unknown type", func(v url.Values) { v.Set("type", "bribe") }, "ok", false, 422, "请选择您要反映的类型。"},
		{"missing type", func(v url.Values) { v.Del("type") }, "ok", false, 422, "请选择您要反映的类型。"},
		{"unknown unit", func(v url.Values) { v.Set("unit", "no-such-unit") }, "ok", false, 422, "请从列表中选择一个单位。"},
		{"unknown submitter", func(v url.Values) { v.Set("submitter", "mayor") }, "ok", false, 422, "请选择您的身份。"},
		{"dept 51 chars", func(v url.Values) { v.Set("dept", strings.Repeat("科", 51)) }, "ok", false, 422, "科室太长了：最多 50 个字，现在是 51 个字。"},
		{"contact 101 chars", func(v url.Values) { v.Set("contact", strings.Repeat("1", 101)) }, "ok", false, 422, "联系方式太长了：最多 100 个字，现在是 101 个字。"},
		{"invalid UTF-8", func(v url.Values) { v.Set("content", text+"\xff\xfe") }, "ok", false, 422, "内容含有无法识别的字符"},
		{"NUL byte", func(v url.Values) { v.Set("content", text+"\x00尾巴") }, "ok", false, 422, "内容含有无法识别的字符"},
		{"wrong captcha", nil, "ok", true, 422, "验证码不对或已过期。请看新的图片或听新的语音，再输入 6 位数字。"},
		{"honeypot", func(v url.Values) { v.Set("website", "http://spam.example") }, "ok", false, 403, "请不要填写隐藏的"},
		{"missing csrf", nil, "missing", false, 403, "页面停留太久已过期，您的意见还没有保存。"},
		{"wrong csrf", nil, "wrong", false, 403, "页面停留太久已过期，您的意见还没有保存。"},
		{"no csrf cookie", nil, "no cookie", false, 403, "页面停留太久已过期，您的意见还没有保存。"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			b := h.browser()
			page := b.getCSRF(t, "/submit")
			id, answer := h.captchaFor(t, page.Body)
			if tc.wrongC {
				answer = wrongAnswer(answer)
			}
			v := validOpinion()
			v.Set("content", text)
			v.Set("captcha_id", id)
			v.Set("captcha_answer", answer)
			if tc.edit != nil {
				tc.edit(v)
			}
			switch tc.csrf {
			case "ok":
				v.Set("_csrf", b.token)
			case "wrong":
				v.Set("_csrf", strings.Repeat("A", 43))
			case "no cookie":
				v.Set("_csrf", b.token)
				delete(b.cookies, "ms_csrf")
			}
			r := b.postForm(t, "/submit", v)
			if r.Code != tc.status {
				t.Fatalf("status got %d, want %d\n%s", r.Code, tc.status, r.Body)
			}
			wantContains(t, r.Body, tc.msg)

			got, ok := textarea(r.Body, "content")
			if !ok {
				t.Fatalf("no content textarea in the answer")
			}
			want := strings.TrimSpace(strings.ReplaceAll(v.Get("content"), "\x00", "\uFFFD"))
			if got != want {
				t.Errorf("textarea content:\n got %q\nwant %q", excerptOf(got), excerptOf(want))
			}
			wantNotContains(t, r.Body, "<请核实>")

			newID, _ := h.captchaFor(t, r.Body)
			if newID == id {
				t.Errorf("captcha id %q rendered again, want a new one", id)
			}
			// The form comes back usable: its token matches the browser's cookie.
			if m := csrfRe.FindStringSubmatch(r.Body); m == nil || m[1] != b.cookies["ms_csrf"].Value {
				t.Errorf("form token does not match the ms_csrf cookie")
			}
			if n := h.countOpinions(t); n != 0 {
				t.Errorf("opinions stored: got %d, want 0", n)
			}
		})
	}
}

// wrongAnswer returns a six-digit answer that differs from answer.
func wrongAnswer(answer string) string {
	b := []byte(answer)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

func TestSubmitCaptchaSingleUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	id, answer := h.captchaFor(t, page.Body)
	v := validOpinion()
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	wantStatus(t, b.follow(t, b.post(t, "/submit", v)), http.StatusOK)

	v.Set("content", "第二次提交，用的是同一个验证码。")
	r := b.post(t, "/submit", v)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "验证码不对或已过期")
	if got, _ := textarea(r.Body, "content"); got != "第二次提交，用的是同一个验证码。" {
		t.Errorf("textarea got %q, want the second text", got)
	}
	if newID, _ := h.captchaFor(t, r.Body); newID == id {
		t.Errorf("captcha id %q rendered again", id)
	}
	if n := h.countOpinions(t); n != 1 {
		t.Errorf("opinions stored: got %d, want 1", n)
	}
}

func TestSubmitFieldsKeptOnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	v := validOpinion()
	v.Set("unit", "mch-hospital")
	v.Set("type", "praise")
	v.Set("submitter", "staff")
	v.Set("dept", `产科"三病区"`)
	v.Set("contact", "<b>138</b>")
	v.Set("content", "太短")
	r := b.submit(t, v)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body,
		`<option value="mch-hospital" selected>`,
		`value="praise" checked`,
		`value="staff" checked`,
		`value="产科&#34;三病区&#34;"`,
		`value="&lt;b&gt;138&lt;/b&gt;"`,
		"请按红字提示修改后再提交。您写的内容都还在。",
	)
	wantNotContains(t, r.Body, "<b>138</b>")
}
