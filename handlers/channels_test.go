package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"minsheng/access"
	"minsheng/export"
	"minsheng/receipt"
	"minsheng/storage"
)

// byReceipt returns the stored opinion a receipt code finds.
func (h *harness) byReceipt(t *testing.T, code string) storage.Opinion {
	t.Helper()
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("receipt.Parse(%q): %v", code, err)
	}
	o, err := h.store.OpinionByReceipt(context.Background(), h.hasher.Hash(norm))
	if err != nil {
		t.Fatalf("OpinionByReceipt: %v", err)
	}
	return o
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="(site|mailbox)" value="([^"]*)">`)

// TestPublicChannel: the public form records web, or qr when the person came from a registered
// site's poster, and never any channel the public sends itself.
func TestPublicChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	site, err := h.store.AddSite(ctx, storage.NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F",
		UnitCode: "county-hospital", Dept: "门诊部"})
	if err != nil {
		t.Fatalf("AddSite: %v", err)
	}
	tests := []struct {
		name        string
		page        string     // where the form is opened
		extra       url.Values // posted besides the page's own hidden fields
		wantChannel string
		wantSite    string
		wantCode    string
	}{
		{"web", "/submit", nil, "web", "", ""},
		{"qr from the poster link", "/submit?site=" + site.Code, nil, "qr", "门诊大厅意见箱", site.Code},
		{"forged channel field ignored", "/submit", url.Values{"channel": {"letter"}}, "web", "", ""},
		{"forged via ignored", "/submit", url.Values{"via": {"kiosk"}}, "web", "", ""},
		{"unknown site dropped", "/submit?site=ZZZZZZ", nil, "web", "", ""},
		{"site name as code dropped", "/submit", url.Values{"site": {"门诊大厅"}}, "web", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := h.browser()
			page := b.getCSRF(t, tt.page)
			v := validOpinion()
			id, answer := h.captchaFor(t, page.Body)
			v.Set("captcha_id", id)
			v.Set("captcha_answer", answer)
			for _, m := range hiddenRe.FindAllStringSubmatch(page.Body, -1) {
				v.Set(m[1], html.UnescapeString(m[2]))
			}
			for k, vs := range tt.extra {
				v[k] = vs
			}
			r := b.follow(t, b.post(t, "/submit", v))
			wantStatus(t, r, http.StatusOK)
			o := h.byReceipt(t, receiptOf(t, r))
			if o.Channel != tt.wantChannel || o.Site != tt.wantSite || o.SiteCode != tt.wantCode || o.ReceivedOn != "" {
				t.Errorf("stored channel %q site %q (%q) received_on %q, want %q %q (%q) \"\"",
					o.Channel, o.Site, o.SiteCode, o.ReceivedOn, tt.wantChannel, tt.wantSite, tt.wantCode)
			}
		})
	}
}

func TestQueueFilterByChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	texts := map[string]string{"web": "网上留言：门诊厕所没有纸。", "qr": "扫码留言：候诊椅子太少了。", "box": "意见箱：挂号处态度生硬。"}
	for ch, text := range texts {
		h.seed(t, storage.NewOpinion{Content: text, Channel: ch})
	}
	b, _ := h.staff(t)
	for _, ch := range []string{"web", "qr", "box"} {
		t.Run(ch, func(t *testing.T) {
			r := b.get(t, "/admin/queue?channel="+ch)
			wantStatus(t, r, http.StatusOK)
			wantContains(t, r.Body, texts[ch], `<option value="`+ch+`" selected>`)
			for other, text := range texts {
				if other != ch {
					wantNotContains(t, r.Body, text)
				}
			}
		})
	}
	t.Run("unknown channel shows everything", func(t *testing.T) {
		r := b.get(t, "/admin/queue?channel=pigeon")
		wantStatus(t, r, http.StatusOK)
		for _, text := range texts {
			wantContains(t, r.Body, text)
		}
	})
}

func TestExportChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seedOn(t, "2026-04-02", storage.NewOpinion{Content: "网上留言的内容，十个字以上。"})
	h.seedOn(t, "2026-04-03", storage.NewOpinion{Content: "意见箱的内容，十个字以上。", Channel: "box", ReceivedOn: "2026-04-01"})
	h.seedOn(t, "2026-04-04", storage.NewOpinion{Content: "电话反映的内容，十个字以上。", Channel: "phone", ReceivedOn: "2026-04-04"})
	b, _ := h.staff(t)

	r := b.get(t, "/admin/export?month=2026-04&format=csv")
	wantStatus(t, r, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, bom))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("CSV rows %v, %v", rows, err)
	}
	col := slices.Index(rows[0], "渠道")
	if col != slices.Index(export.Columns, "渠道") || col != 12 {
		t.Fatalf("渠道 is column %d, want 12 (where staff's spreadsheets expect it)", col)
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, row[col])
	}
	if want := []string{"网上留言", "意见箱", "电话"}; !slices.Equal(got, want) {
		t.Errorf("渠道 column %v, want %v", got, want)
	}

	r = b.get(t, "/admin/export?month=2026-04&format=xlsx&channel=box")
	wantStatus(t, r, http.StatusOK)
	x, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	data, _ := x.GetRows("意见")
	if len(data) != 2 {
		t.Errorf("export filtered to 意见箱: %d rows, want header + 1", len(data))
	}
	stats, err := x.GetRows("统计")
	if err != nil {
		t.Fatal(err)
	}
	block := -1
	for i, row := range stats {
		if len(row) == 1 && row[0] == "渠道" {
			block = i
		}
	}
	if block < 0 || len(stats) < block+12 {
		t.Fatalf("no complete 渠道 block in 统计: %q", stats)
	}
	counts := map[string]string{}
	for _, row := range stats[block+1 : block+12] {
		if len(row) != 2 {
			t.Fatalf("渠道 row %q, want label and count", row)
		}
		counts[row[0]] = row[1]
	}
	want := map[string]string{"网上留言": "0", "扫码留言": "0", "自助留言机": "0", "意见箱": "1", "信函": "0", "电话": "0",
		"短信": "0", "座谈会": "0", "走访": "0", "问卷": "0", "民主评议": "0"}
	for k, w := range want {
		if counts[k] != w {
			t.Errorf("统计 渠道 %s = %q, want %q", k, counts[k], w)
		}
	}
}

// slip is a valid transcription form.
func slip() url.Values {
	return url.Values{
		"channel":     {"letter"},
		"received_on": {"2026-04-10"},
		"site":        {"局办公室收发室"},
		"type":        {"complaint"},
		"unit":        {"county-hospital"},
		"dept":        {"急诊科"},
		"submitter":   {"family"},
		"content":     {"来信反映：急诊科夜间只有一名医生，等了三个小时。"},
		"contact":     {""},
	}
}

func TestTranscribeSingle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	page := b.getCSRF(t, "/admin/transcribe")
	wantContains(t, page.Body, `value="2026-04-15"`, `autofocus`, `<option value="letter"`)
	wantNotContains(t, page.Body, `<option value="web"`, `<option value="qr"`, `<option value="kiosk"`, `name="batch"`)

	r := b.follow(t, b.post(t, "/admin/transcribe", slip()))
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "请把查询码写在回信上")
	code := receiptOf(t, r)
	if n := strings.Count(shownText(r.Body), code); n != 1 {
		t.Errorf("receipt shown %d times, want once", n)
	}
	o := h.byReceipt(t, code)
	if o.Channel != "letter" || o.ReceivedOn != "2026-04-10" || o.Site != "局办公室收发室" || o.CreatedOn != "2026-04-15" ||
		o.UnitCode != "county-hospital" || o.Submitter != "family" || o.Dept != "急诊科" || o.Status != "received" {
		t.Errorf("stored %+v", o)
	}
	audit, err := h.store.AuditOf(context.Background(), o.ID)
	if err != nil || len(audit) != 1 || audit[0].Action != "transcribe" || audit[0].Username != u.Username {
		t.Errorf("audit of the transcribed item: %+v, %v; want one transcribe row by %s", audit, err, u.Username)
	}

	// The person who wrote the letter follows it on /track with the code from the reply letter.
	p := h.browser()
	p.getCSRF(t, "/track")
	tr := p.post(t, "/track", url.Values{"code": {code}})
	wantStatus(t, tr, http.StatusOK)
	wantContains(t, tr.Body, "急诊科夜间只有一名医生")
}

var (
	countRe    = regexp.MustCompile(`name="count" value="([0-9]+)"`)
	siteRe     = regexp.MustCompile(`name="site" type="text" maxlength="50" value="([^"]*)"`)
	receivedRe = regexp.MustCompile(`name="received_on" type="date" max="[^"]*" value="([^"]*)"`)
	// selectRe and optionRe find the selected option of each select.
	selectRe = regexp.MustCompile(`(?s)<select id="([a-z_]+)" name="[a-z_]+"[^>]*>(.*?)</select>`)
	optionRe = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formValues reads the next slip's prefilled values from a batch page, as a browser would
// send them back.
func formValues(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{"batch": {"1"}}
	for name, re := range map[string]*regexp.Regexp{"count": countRe, "site": siteRe, "received_on": receivedRe} {
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s field in page", name)
		}
		v.Set(name, html.UnescapeString(m[1]))
	}
	for _, m := range selectRe.FindAllStringSubmatch(body, -1) {
		if o := optionRe.FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], o[1])
		}
	}
	if c, ok := textarea(body, "content"); !ok || c != "" {
		t.Errorf("content of the next slip = %q (found %v), want an empty field", c, ok)
	}
	return v
}

func TestTranscribeBatch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	page := b.getCSRF(t, "/admin/transcribe?batch=1")
	wantContains(t, page.Body, `name="batch" value="1"`, `name="count" value="0"`, "本批已录入 0 条", "autofocus")

	first := slip()
	first.Set("channel", "box")
	first.Set("site", "门诊大厅意见箱")
	first.Set("received_on", "2026-04-14")
	first.Set("batch", "1")
	first.Set("count", "0")
	r := b.follow(t, b.post(t, "/admin/transcribe", first))
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "本批已录入 1 条", "请把查询码写在回信上", "autofocus")
	codes := []string{receiptOf(t, r)}

	// The next slips: only the text, type and submitter are typed; the rest comes back prefilled.
	texts := []string{"纸条：药房窗口排队太久，希望多开一个窗口。", "纸条：住院部的护士非常负责，特此表扬。"}
	for i, text := range texts {
		v := formValues(t, r.Body)
		if v.Get("channel") != "box" || v.Get("site") != "门诊大厅意见箱" || v.Get("received_on") != "2026-04-14" ||
			v.Get("unit") != "county-hospital" {
			t.Fatalf("sticky fields not kept: %v", v)
		}
		if v.Get("type") != "opinion" || v.Get("submitter") != "other" {
			t.Errorf("fresh slip type %q submitter %q, want the defaults opinion / other", v.Get("type"), v.Get("submitter"))
		}
		v.Set("content", text)
		r = b.follow(t, b.post(t, "/admin/transcribe", v))
		wantStatus(t, r, http.StatusOK)
		wantContains(t, r.Body, "本批已录入 "+strconv.Itoa(i+2)+" 条")
		codes = append(codes, receiptOf(t, r))
	}

	// A refused slip keeps the text and the count.
	v := formValues(t, r.Body)
	v.Set("content", "太短")
	r = b.post(t, "/admin/transcribe", v)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "本批已录入 3 条", "至少 10 个字")
	if c, _ := textarea(r.Body, "content"); c != "太短" {
		t.Errorf("content after 422 = %q, want the typed text", c)
	}

	for i, code := range codes {
		o := h.byReceipt(t, code)
		if o.Channel != "box" || o.Site != "门诊大厅意见箱" || o.ReceivedOn != "2026-04-14" {
			t.Errorf("slip %d stored as %q %q %q", i+1, o.Channel, o.Site, o.ReceivedOn)
		}
	}
	if n := h.countOpinions(t); n != 3 {
		t.Errorf("%d opinions stored, want 3", n)
	}
}

func TestTranscribeRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	b.getCSRF(t, "/admin/transcribe")
	tests := []struct {
		name, field, value, msg string
	}{
		{"future received_on", "received_on", "2026-04-16", "收到日期不能晚于今天"},
		{"malformed received_on", "received_on", "2026-13-01", "请填写收到的日期"},
		{"empty received_on", "received_on", "", "请填写收到的日期"},
		{"web is not transcribed", "channel", "web", "请选择来件渠道"},
		{"qr is not transcribed", "channel", "qr", "请选择来件渠道"},
		{"kiosk is not transcribed", "channel", "kiosk", "请选择来件渠道"},
		{"unknown channel", "channel", "pigeon", "请选择来件渠道"},
		{"content too short", "content", "太短了", "至少 10 个字"},
		{"site too long", "site", strings.Repeat("长", 51), "地点太长了"},
		{"unknown unit", "unit", "nowhere", "请从列表中选择一个单位"},
		{"unknown type", "type", "rumour", "请选择类型"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := slip()
			v.Set(tt.field, tt.value)
			r := b.post(t, "/admin/transcribe", v)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, tt.msg, "录入的内容都还在")
			wantNotContains(t, r.Body, `id="receipt-code"`)
			if c, _ := textarea(r.Body, "content"); c != v.Get("content") {
				t.Errorf("content after 422 = %q, want %q", c, v.Get("content"))
			}
		})
	}
	if n := h.countOpinions(t); n != 0 {
		t.Errorf("%d opinions stored, want none", n)
	}
}

func TestTranscribeRoles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	users := map[string]storage.NewUser{
		"admin":          {Role: access.Admin},
		"supervisor":     {Role: access.Supervisor},
		"discipline":     {Role: access.Discipline},
		"leader-tcm":     {Role: access.Leader, Linked: []string{"tcm-hospital"}},
		"liaison-county": {Role: access.Liaison, Unit: "county-hospital"},
	}
	browsers := map[string]*browser{}
	for name, n := range users {
		n.Username, n.Password = name, staffPassword
		if _, err := h.store.CreateScopedUser(ctx, 0, n); err != nil {
			t.Fatalf("CreateScopedUser(%s): %v", name, err)
		}
		browsers[name] = h.login(t, name, staffPassword)
		browsers[name].getCSRF(t, "/admin/queue")
	}
	tests := []struct {
		role, unit string
		want       int
	}{
		{"admin", "tcm-hospital", http.StatusOK},
		{"liaison-county", "county-hospital", http.StatusOK},
		{"liaison-county", "tcm-hospital", http.StatusUnprocessableEntity},
		// 督导组 enters its inspection findings alone (feature 44; supervisor_findings_test.go): a letter is refused.
		{"supervisor", "county-hospital", http.StatusUnprocessableEntity},
		{"discipline", "county-hospital", http.StatusForbidden},
		{"leader-tcm", "tcm-hospital", http.StatusForbidden},
	}
	stored := 0
	for _, tt := range tests {
		t.Run(tt.role+" "+tt.unit, func(t *testing.T) {
			b := browsers[tt.role]
			wantGet := http.StatusOK
			if tt.want == http.StatusForbidden {
				wantGet = http.StatusForbidden
			}
			wantStatus(t, b.get(t, "/admin/transcribe"), wantGet)
			v := slip()
			v.Set("unit", tt.unit)
			r := b.follow(t, b.post(t, "/admin/transcribe", v))
			wantStatus(t, r, tt.want)
			if tt.want == http.StatusOK {
				stored++
				receiptOf(t, r)
			}
			if tt.want == http.StatusUnprocessableEntity && tt.role == "supervisor" {
				wantContains(t, r.Body, "督导组只录入暗访和督导检查发现的问题")
			} else if tt.want == http.StatusUnprocessableEntity {
				wantContains(t, r.Body, "您只能录入本单位的意见")
			}
			if n := h.countOpinions(t); n != stored {
				t.Errorf("%d opinions stored, want %d", n, stored)
			}
		})
	}
	t.Run("liaison sees only their own unit", func(t *testing.T) {
		r := browsers["liaison-county"].get(t, "/admin/transcribe")
		wantContains(t, r.Body, `<option value="county-hospital" selected>`)
		wantNotContains(t, r.Body, `<option value="tcm-hospital"`)
	})
}

func TestTranscribeNeedsCSRF(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	tests := []struct {
		name  string
		token string
	}{
		{"missing", ""},
		{"wrong", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := slip()
			if tt.token != "" {
				v.Set("_csrf", tt.token)
			}
			r := b.postForm(t, "/admin/transcribe", v)
			wantStatus(t, r, http.StatusForbidden)
		})
	}
	if n := h.countOpinions(t); n != 0 {
		t.Errorf("%d opinions stored without a CSRF token, want none", n)
	}
}
