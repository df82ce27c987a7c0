package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"minsheng/receipt"
)

// with returns validOpinion with some fields replaced (an empty value removes the field).
func with(kv ...string) url.Values {
	v := validOpinion()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "\x00remove" {
			v.Del(kv[i])
			continue
		}
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// Ensure a corpus of bad inputs, across every public and staff form, each gets its clear 4xx
// and leaves stored data exactly as it was.
func TestBadInputCorpus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, code := h.seed(t, noOpinion())
	setupToken, err := h.store.CreateSetupToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	staff, _ := h.staff(t)
	long := func(n int) string { return strings.Repeat("长", n) }
	public := h.browser()
	submit := func(v url.Values) func(*testing.T) *response {
		return func(t *testing.T) *response { return public.submit(t, v) }
	}
	raw := func(method, target, body, ctype string) func(*testing.T) *response {
		return func(t *testing.T) *response { return public.do(t, method, target, body, ctype) }
	}
	track := func(c string) func(*testing.T) *response {
		return func(t *testing.T) *response {
			public.getCSRF(t, "/track")
			return public.post(t, "/track", url.Values{"code": {c}})
		}
	}
	staffPost := func(path string, v url.Values) func(*testing.T) *response {
		return func(t *testing.T) *response { return staff.post(t, path, v) }
	}
	login := func(v url.Values) func(*testing.T) *response {
		return func(t *testing.T) *response {
			h.clock.Advance(time.Minute) // a person's pace: past the short wait after a failure
			b := h.browser()
			b.getCSRF(t, "/admin/login")
			return b.post(t, "/admin/login", v)
		}
	}
	setup := func(token string, v url.Values) func(*testing.T) *response {
		return func(t *testing.T) *response {
			b := h.browser()
			b.getCSRF(t, "/admin/login")
			return b.post(t, "/admin/setup/"+token, v)
		}
	}
	item := "/admin/opinions/" + id
	formType := "application/x-www-form-urlencoded"

	tests := []struct {
		name string
		do   func(*testing.T) *response
		want int
	}{
		// The opinion form.
		{"submit: nothing at all", submit(url.Values{}), 422},
		{"submit: empty content", submit(with("content", "")), 422},
		{"submit: only spaces", submit(with("content", "　　   \n\t ")), 422},
		{"submit: 9 characters", submit(with("content", long(9))), 422},
		{"submit: 5001 characters", submit(with("content", long(5001))), 422},
		{"submit: invalid UTF-8", submit(with("content", "十个字以上的内容\xff\xfe坏了")), 422},
		{"submit: NUL byte", submit(with("content", "十个字以上的内容\x00藏了一个空字符")), 422},
		{"submit: no type", submit(with("type", "\x00remove")), 422},
		{"submit: unknown type", submit(with("type", "rumour")), 422},
		{"submit: type in capitals", submit(with("type", "COMPLAINT")), 422},
		{"submit: no unit", submit(with("unit", "\x00remove")), 422},
		{"submit: unknown unit", submit(with("unit", "no-such-hospital")), 422},
		{"submit: unit injection", submit(with("unit", "x' OR '1'='1")), 422},
		{"submit: no submitter", submit(with("submitter", "\x00remove")), 422},
		{"submit: unknown submitter", submit(with("submitter", "official")), 422},
		{"submit: dept 51 characters", submit(with("dept", long(51))), 422},
		{"submit: dept invalid UTF-8", submit(with("dept", "内科\xc3")), 422},
		{"submit: contact 101 characters", submit(with("contact", strings.Repeat("1", 101))), 422},
		{"submit: contact NUL", submit(with("contact", "138\x00")), 422},
		{"submit: wrong captcha", submit(with("captcha_answer", "abcdef")), 422},
		{"submit: empty captcha answer", submit(with("captcha_answer", "")), 422},
		{"submit: unknown captcha id", submit(with("captcha_id", "forged-id")), 422},
		{"submit: reused captcha", func(t *testing.T) *response {
			page := public.getCSRF(t, "/submit")
			cid, answer := h.captchaFor(t, page.Body)
			first := with("captcha_id", cid, "captcha_answer", answer, "content", "短")
			if r := public.post(t, "/submit", first); r.Code != 422 {
				t.Fatalf("first use: %d", r.Code)
			}
			return public.post(t, "/submit", with("captcha_id", cid, "captcha_answer", answer))
		}, 422},
		{"submit: honeypot filled", submit(with("website", "http://spam.example")), 403},
		{"submit: no CSRF token", func(t *testing.T) *response {
			public.getCSRF(t, "/submit")
			return public.postForm(t, "/submit", validOpinion())
		}, 403},
		{"submit: wrong CSRF token", func(t *testing.T) *response {
			public.getCSRF(t, "/submit")
			v := validOpinion()
			v.Set("_csrf", "not-the-token")
			return public.postForm(t, "/submit", v)
		}, 403},
		{"submit: another browser's token", func(t *testing.T) *response {
			other := h.browser()
			other.getCSRF(t, "/submit")
			public.getCSRF(t, "/submit")
			v := validOpinion()
			v.Set("_csrf", other.token)
			return public.postForm(t, "/submit", v)
		}, 403},
		{"submit: 100 KB body", raw(http.MethodPost, "/submit", "content="+strings.Repeat("a", 100<<10), formType), 413},
		{"submit: text/plain body", raw(http.MethodPost, "/submit", "type=complaint", "text/plain"), 403},
		{"submit: JSON body", raw(http.MethodPost, "/submit", `{"type":"complaint","content":"xxxxxxxxxxxx"}`, "application/json"), 403},
		{"submit: PUT", raw(http.MethodPut, "/submit", "", formType), 405},
		{"submit: DELETE", raw(http.MethodDelete, "/submit", "", ""), 405},
		// Receipt look-up.
		{"track: empty code", track(""), 422},
		{"track: too short", track("7K2M-9QXD"), 422},
		{"track: letters outside the alphabet", track("UUUU-UUUU-UUUU-UUUU-UUUU"), 422},
		{"track: 10 KB code", track(strings.Repeat("A", 10<<10)), 422},
		{"track: unknown code", track("0000-0000-0000-0000-0000"), 404},
		{"track: no CSRF token", func(t *testing.T) *response {
			return h.browser().postForm(t, "/track", url.Values{"code": {code}})
		}, 403},
		{"track: PUT", raw(http.MethodPut, "/track", "code="+code, formType), 405},
		// Staff login and setup.
		{"login: empty", login(url.Values{}), 401},
		{"login: unknown user", login(url.Values{"username": {"nobody"}, "password": {"a-long-password-1"}}), 401},
		{"login: wrong password", login(url.Values{"username": {"审核员甲"}, "password": {"wrong-password-123"}}), 401},
		{"login: 1000-character password", login(url.Values{"username": {"审核员甲"}, "password": {strings.Repeat("p", 1000)}}), 401},
		{"login: no CSRF token", func(t *testing.T) *response {
			return h.browser().postForm(t, "/admin/login", url.Values{"username": {"审核员甲"}, "password": {staffPassword}})
		}, 403},
		{"setup: unknown token", setup("no-such-token", url.Values{"username": {"a"}, "password": {"a-long-password-1"}, "password2": {"a-long-password-1"}}), 404},
		{"setup: short password", setup(setupToken, url.Values{"username": {"a"}, "password": {"short"}, "password2": {"short"}}), 422},
		{"setup: passwords differ", setup(setupToken, url.Values{"username": {"a"}, "password": {"a-long-password-1"}, "password2": {"a-long-password-2"}}), 422},
		{"setup: no username", setup(setupToken, url.Values{"password": {"a-long-password-1"}, "password2": {"a-long-password-1"}}), 422},
		// Review actions.
		{"styles: unknown style", staffPost(item+"/styles", url.Values{"style": {"laziness"}}), 422},
		{"styles: unknown opinion", staffPost("/admin/opinions/NOSUCHID00/styles", url.Values{"style": {"hedonism"}}), 404},
		{"status: unknown status", staffPost(item+"/status", url.Values{"status": {"finished"}}), 422},
		{"status: not allowed from here", staffPost(item+"/status", url.Values{"status": {"received"}}), 422},
		{"reply: empty", staffPost(item+"/reply", url.Values{"reply": {"   "}}), 422},
		{"reply: 5001 characters", staffPost(item+"/reply", url.Values{"reply": {long(5001)}}), 422},
		{"reply: invalid UTF-8", staffPost(item+"/reply", url.Values{"reply": {"答复\xff"}}), 422},
		{"note: empty", staffPost(item+"/note", url.Values{"note": {""}}), 422},
		{"note: NUL byte", staffPost(item+"/note", url.Values{"note": {"备注\x00"}}), 422},
		{"review without a session", func(t *testing.T) *response {
			b := h.browser()
			b.getCSRF(t, "/submit")
			return b.post(t, item+"/reply", url.Values{"reply": {"冒充的答复"}})
		}, 403},
		{"item: unknown opinion", func(t *testing.T) *response { return staff.get(t, "/admin/opinions/NOSUCHID00") }, 404},
		{"export: bad month", func(t *testing.T) *response { return staff.get(t, "/admin/export?month=2026-13&format=csv") }, 400},
		{"export: bad format", func(t *testing.T) *response { return staff.get(t, "/admin/export?month=2026-04&format=pdf") }, 400},
		{"logout: no CSRF token", func(t *testing.T) *response { return staff.postForm(t, "/admin/logout", url.Values{}) }, 403},
	}
	if len(tests) < 50 {
		t.Fatalf("the corpus has %d cases, want at least 50", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot(t)
			r := tt.do(t)
			if r.Code != tt.want {
				t.Errorf("status %d, want %d\n%.400s", r.Code, tt.want, r.Body)
			}
			if r.Code < 400 || r.Code >= 500 {
				t.Errorf("status %d is not a client error", r.Code)
			}
			if strings.Contains(r.Header.Get("Content-Type"), "text/html") && r.Code != 413 &&
				!regexp.MustCompile(`[\p{Han}]`).MatchString(r.Body) {
				t.Errorf("the answer has no Chinese explanation:\n%.300s", r.Body)
			}
			if after := h.snapshot(t); after != before {
				t.Errorf("stored data changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

var quoteRe = regexp.MustCompile(`(?s)<p class="pre quote">(.*?)</p>`)

// Ensure odd but valid inputs are stored exactly as written and shown escaped, never as markup,
// both to the reviewer and on /track.
func TestOddButValidInputsStoredExactly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	tests := []struct{ name, content string }{
		{"emoji", "医生态度很好😀👍🏻，谢谢你们！👨‍⚕️"},
		{"script tag", "<script>alert(1)</script>希望处理"},
		{"image onerror", `<img src=x onerror="alert(1)">收费不透明`},
		{"formula", "=SUM(A1:A9) 这是公式还是文字"},
		{"leading plus", "+1 同意楼上，收费处该多开窗口"}, // a phone number here would be masked (redact)
		{"leading minus", "-3天了还没人管，太慢了"},
		{"leading at", "@院长 请看看急诊科的排班"},
		{"Traditional characters", "門難進、臉難看、事難辦，請改進"},
		{"very long line", strings.Repeat("排队", 2000)},
		{"quotes and backslashes", `他说"明天再来"，又说'后天'，路径 C:\temp\x`},
		{"SQL text", "'; DROP TABLE opinions; -- 这不是攻击"},
		{"HTML entities as text", "&lt;b&gt; &amp; &quot; 原样保存"},
		{"right-to-left text", "مرحبا 你好 שלום 混排的文字"},
		// Zero-width characters between words are removed (TestTypedTextStoredWithoutInvisibleCharacters);
		// a joiner inside an emoji is not.
		{"zero-width joiner inside an emoji", "家人👨\u200d👩\u200d👧陪我来看病，医生不在岗位上"},
		{"combining accents", "Cafe\u0301 旁边的诊所收费太高"},
		{"several lines", "第一行\n第二行\n\n第四行，中间空了一行"},
		{"tabs inside", "收费\t处\t排队\t太久了"},
		{"full-width punctuation", "！？，。：；“”‘’（）【】——……"},
		{"URL", "http://example.com/?a=1&b=<2> 这个网址打不开"},
		{"template syntax", "{{.Secret}} {{template \"x\"}} 不应执行"},
		{"exactly 10 characters", "一二三四五六七八九十"},
		{"exactly 5000 characters", strings.Repeat("满", 5000)},
		{"line separator", "第一段\u2028第二段\u2029第三段"},
	}
	if len(tests) < 20 {
		t.Fatalf("%d cases, want at least 20", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := h.browser()
			r := b.submit(t, with("content", tt.content))
			wantStatus(t, r, http.StatusOK)
			code := receiptOf(t, r)
			norm, _ := receipt.Parse(code)
			o, err := h.store.OpinionByReceipt(context.Background(), h.hasher.Hash(norm))
			if err != nil {
				t.Fatal(err)
			}
			if o.Content != tt.content {
				t.Fatalf("stored %q, want %q", o.Content, tt.content)
			}
			shown := map[string]string{}
			page := staff.get(t, "/admin/opinions/"+o.ID)
			wantStatus(t, page, http.StatusOK)
			shown["item page"] = page.Body
			b.getCSRF(t, "/track")
			tracked := b.post(t, "/track", url.Values{"code": {code}})
			wantStatus(t, tracked, http.StatusOK)
			shown["track page"] = tracked.Body
			for where, body := range shown {
				m := quoteRe.FindStringSubmatch(body)
				if m == nil {
					t.Fatalf("%s: content block not found", where)
				}
				if got := html.UnescapeString(m[1]); got != tt.content {
					t.Errorf("%s shows %q, want %q", where, got, tt.content)
				}
				for _, markup := range []string{"<script>", "<img ", "onerror=\""} {
					if strings.Contains(m[1], markup) {
						t.Errorf("%s renders %q as markup", where, markup)
					}
				}
			}
		})
	}
}
