package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"minsheng/receipt"
	"minsheng/storage"
)

// TestNewCaptchaKeepsTheText: on a phone with JavaScript off, a person fills the form, presses
// 换一张验证码, and gets the same form back at the captcha, with everything typed and chosen,
// a new challenge and nothing stored; answering the new one sends the opinion.
func TestNewCaptchaKeepsTheText(t *testing.T) {
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	h := newHarness(t)
	phone := newTab(t, browser, h, true)
	ctx := context.Background()

	step(t, "1. fill in the whole form")
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit"), 200)
	const typed = "住院部晚上十点以后热水就停了，病人没法擦洗，希望延长供应时间。"
	firstCaptcha := attrOf(t, phone, `input[name=captcha_id]`, "value")
	do(t, phone, "fill the form",
		chromedp.Click(chromedp.CSS(`input[name=type][value=suggestion]`)),
		chromedp.SetValue(chromedp.CSS("#unit"), "tcm-hospital"),
		chromedp.SendKeys(chromedp.CSS("#dept"), "住院部"),
		chromedp.Click(chromedp.CSS(`input[name=submitter][value=family]`)),
		chromedp.SendKeys(chromedp.CSS("#content"), typed),
		chromedp.SendKeys(chromedp.CSS("#contact"), "王女士"),
	)

	step(t, "2. 换一张验证码: the form comes back whole, at the captcha, with a new challenge")
	wantStatus(t, "换一张", clickAndLoad(t, phone, `button[name=action][value=newcaptcha]`), 200)
	for sel, want := range map[string]string{"#content": typed, "#unit": "tcm-hospital", "#dept": "住院部", "#contact": "王女士"} {
		if got := valueOf(t, phone, sel); got != want {
			t.Fatalf("%s after 换一张 = %q, want %q", sel, got, want)
		}
	}
	for _, sel := range []string{`input[name=type][value=suggestion]`, `input[name=submitter][value=family]`} {
		if !hasAttr(t, phone, sel, "checked") {
			t.Fatalf("%s lost its choice after 换一张", sel)
		}
	}
	newCaptcha := attrOf(t, phone, `input[name=captcha_id]`, "value")
	if newCaptcha == firstCaptcha {
		t.Fatalf("换一张 showed the same captcha %q", firstCaptcha)
	}
	if src := attrOf(t, phone, "#captcha img", "src"); src != "/captcha/"+newCaptcha+".png" {
		t.Fatalf("captcha image %q, want the new challenge %s", src, newCaptcha)
	}
	wantContains(t, "captcha group", textOf(t, phone, "#captcha"), "已换了一张新的验证码")
	// A replaced captcha is spent: even its right answer no longer passes.
	answer, ok := h.Captchas.Answer(firstCaptcha)
	if !ok {
		t.Fatalf("the replaced captcha %q has no answer to try", firstCaptcha)
	}
	if ok, err := h.Captchas.Verify(ctx, firstCaptcha, answer); ok || err != nil {
		t.Fatalf("the replaced captcha %q can still be answered (%v, %v)", firstCaptcha, ok, err)
	}
	if n, err := h.Store.CountOpinions(ctx); err != nil || n != 0 {
		t.Fatalf("opinions stored after 换一张: %d (%v), want none", n, err)
	}
	// The page opens at the captcha, not at the top of a long form.
	if loc, err := run(phone, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "#captcha") {
		t.Fatalf("page after 换一张 at %q (%v), want it to open at #captcha", loc, err)
	}
	if y, err := run(phone, chromedp.Evaluate[float64](`window.scrollY`)); err != nil || y <= 0 {
		t.Fatalf("page after 换一张 scrolled to %v (%v), want down at the captcha", y, err)
	}
	saveScreenshot(t, phone, "captcha-renewed-360.png")

	step(t, "3. answer the new captcha and send: the opinion is stored as typed")
	code := submitOpinion(t, phone, h, "POST /submit after 换一张", "suggestion", "family", typed)
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatal(err)
	}
	o, err := h.Store.OpinionByReceipt(ctx, h.Receipts.Hash(norm))
	if err != nil {
		t.Fatalf("find the opinion by its receipt: %v", err)
	}
	if o.Content != typed || o.UnitCode != "tcm-hospital" || o.Dept != "住院部" || o.Contact != "王女士" || o.Type != "suggestion" {
		t.Fatalf("stored %q %q %q %q %q; want the form as filled in before 换一张", o.Content, o.UnitCode, o.Dept, o.Contact, o.Type)
	}
}

// TestCaptchaAudioInPlace: every form with the captcha has, with JavaScript off, an <audio>
// player named by visible text, for the same challenge as the image; the browser loads the
// sound under the page's policy, and its address answers 200 audio/wav, never cached.
func TestCaptchaAudioInPlace(t *testing.T) {
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	h := newHarness(t)
	ctx := context.Background()
	site, err := h.Store.AddSite(ctx, storage.NewSite{Name: "门诊大厅自助机", UnitCode: "county-hospital"})
	if err != nil {
		t.Fatalf("register the site: %v", err)
	}
	today := h.Store.Today()
	sv, err := h.Store.CreateSurvey(ctx, 0, storage.NewSurvey{Title: "门诊满意度测评", StartsOn: today, EndsOn: today,
		Scale: storage.ScaleThree, Units: []string{"county-hospital"}, Items: []string{"挂号等候时间"},
		ItemThreshold: 85, OverallThreshold: 90})
	if err != nil {
		t.Fatalf("create the survey: %v", err)
	}
	phone := newTab(t, browser, h, true)
	for _, page := range []string{"/submit", "/survey/" + strconv.FormatInt(sv, 10), "/kiosk/" + site.Code} {
		step(t, "%s: the sound of the captcha plays in place", page)
		wantStatus(t, "GET "+page, navigate(t, phone, h.URL+page), 200)
		id := attrOf(t, phone, `input[name=captcha_id]`, "value")
		if src := attrOf(t, phone, "#captcha img", "src"); src != "/captcha/"+id+".png" {
			t.Fatalf("%s: image %q, want /captcha/%s.png", page, src, id)
		}
		src := attrOf(t, phone, "#captcha audio", "src")
		if src != "/captcha/"+id+".wav" {
			t.Fatalf("%s: sound %q, want the image's challenge /captcha/%s.wav", page, src, id)
		}
		if !hasAttr(t, phone, "#captcha audio", "controls") {
			t.Fatalf("%s: the <audio> has no controls to play it with", page)
		}
		label := attrOf(t, phone, "#captcha audio", "aria-labelledby")
		if text := textOf(t, phone, "#"+label); !strings.Contains(text, "语音验证码") {
			t.Fatalf("%s: the audio's label reads %q on screen, want it to name the 语音验证码", page, text)
		}
		if name := accessibleName(t, phone, "#captcha audio"); !strings.Contains(name, "语音验证码") {
			t.Fatalf("%s: a screen reader names the player %q, want the 语音验证码", page, name)
		}
		if name := accessibleName(t, phone, "#captcha_answer"); !strings.Contains(name, "6 位数字") {
			t.Fatalf("%s: a screen reader names the answer field %q", page, name)
		}
		wantSoundLoads(t, phone, page)

		resp, err := http.Get(h.URL + src)
		if err != nil {
			t.Fatalf("GET %s: %v", src, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("GET %s: %d %q cache %q; want 200 audio/wav no-store", src, resp.StatusCode,
				resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
		}
	}
}

// accessibleName is the name Chromium's accessibility tree gives the element sel, as a screen
// reader would announce it.
func accessibleName(t *testing.T, tab context.Context, sel string) string {
	t.Helper()
	nodes, err := run(tab, chromedp.Nodes(chromedp.CSS(sel)))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("find %s: %v", sel, err)
	}
	backend := nodes[0].BackendNodeID
	var name string
	no := false
	_, err = run(tab, chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		res, err := cdp.Call(ctx, tgt, accessibility.GetPartialAXTree,
			accessibility.GetPartialAXTreeParams{BackendNodeID: backend, FetchRelatives: &no})
		if err != nil {
			return err
		}
		for _, n := range res.Nodes {
			if n.BackendDOMNodeID == backend && n.Name != nil {
				return json.Unmarshal(n.Name.Value, &name)
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("accessibility tree of %s: %s", sel, errContext(err))
	}
	return name
}

// soundState is what the page's <audio> element says of its sound.
type soundState struct {
	Ready    int     `json:"ready"`
	Duration float64 `json:"duration"`
	Error    int     `json:"error"`
}

// wantSoundLoads asks the player to load its sound, as pressing play would, and waits until
// the browser has read it: the policy allows it, the type is right, the file is whole.
func wantSoundLoads(t *testing.T, tab context.Context, page string) {
	t.Helper()
	if _, err := run(tab, chromedp.Evaluate[bool](`(() => { const a = document.querySelector('#captcha audio');
		a.preload = 'auto'; a.load(); return true; })()`)); err != nil {
		t.Fatalf("%s: load the sound: %s", page, errContext(err))
	}
	var s soundState
	for end := time.Now().Add(actionTimeout); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		var err error
		s, err = run(tab, chromedp.Evaluate[soundState](`(() => { const a = document.querySelector('#captcha audio');
			return {ready: a.readyState, duration: a.duration || 0, error: a.error ? a.error.code : 0}; })()`))
		if err != nil {
			t.Fatalf("%s: read the player: %s", page, errContext(err))
		}
		if s.Error != 0 {
			t.Fatalf("%s: the browser could not play the sound (MediaError %d)", page, s.Error)
		}
		if s.Ready >= 1 && s.Duration > 1 { // HAVE_METADATA; six spoken digits last seconds
			return
		}
	}
	t.Fatalf("%s: the sound never loaded (readyState %d, duration %v)", page, s.Ready, s.Duration)
}
