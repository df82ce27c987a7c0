package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/internal/testkit"
	"minsheng/receipt"
	"minsheng/storage"
)

// TestConversation: a reviewer asks the submitter a question from the item page, the submitter
// answers on /track with the receipt code (JavaScript off) and comes back to an address without
// the code, and the reviewer sees the answer under the question.
func TestConversation(t *testing.T) {
	browser := newBrowser(t) // first: without a browser there is nothing to set up
	h := newHarness(t)
	code := receipt.New()
	n, err := receipt.Parse(code)
	if err != nil {
		t.Fatal(err)
	}
	id, err := h.Store.CreateOpinion(context.Background(), storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
		Submitter: "patient", Content: "输液室的椅子坏了好几把，没人修。"}, h.Receipts.Hash(n))
	if err != nil {
		t.Fatal(err)
	}

	step(t, "1. the reviewer asks a question from the item page")
	desk := newTab(t, browser, h, false)
	wantStatus(t, "GET /admin/login", navigate(t, desk, h.URL+"/admin/login"), 200)
	do(t, desk, "fill the login form",
		chromedp.SendKeys(chromedp.CSS("#username"), reviewerName),
		chromedp.SendKeys(chromedp.CSS("#password"), reviewerPassword),
	)
	wantStatus(t, "POST /admin/login", clickAndLoad(t, desk, `form[action="/admin/login"] button[type=submit]`), 200)
	itemURL := h.URL + "/admin/opinions/" + id
	wantStatus(t, "open the item", navigate(t, desk, itemURL), 200)
	do(t, desk, "write the question", chromedp.SendKeys(chromedp.CSS("#thread-body"), "请问是几号输液室？"))
	wantStatus(t, "POST the question", clickAndLoad(t, desk, `#conversation form button[type=submit]`), 200)
	wantContains(t, "the item's conversation", textOf(t, desk, "#conversation"), "请问是几号输液室？")

	step(t, "2. the submitter reads it on /track and answers (JavaScript off)")
	reader := newTab(t, browser, h, true)
	wantStatus(t, "GET /track", navigate(t, reader, h.URL+"/track"), 200)
	do(t, reader, "type the receipt code", chromedp.SendKeys(chromedp.CSS("#code"), code))
	wantStatus(t, "POST /track", clickAndLoad(t, reader, `form[action="/track"] button[type=submit]`), 200)
	wantContains(t, "the conversation on /track", textOf(t, reader, "#conversation"), "请问是几号输液室？")
	saveScreenshot(t, reader, "track-conversation-360.png")
	checkAxe(t, reader, true, "/track with a conversation")
	do(t, reader, "write the answer", chromedp.SendKeys(chromedp.CSS(".answer-form textarea"), "三号输液室，靠窗那排。"))
	photo := filepath.Join(t.TempDir(), "IMG_20260415_143752.jpg")
	if err := os.WriteFile(photo, testkit.GPSJPEG(t, 120, 80), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, reader, "choose a photo of the chairs",
		chromedp.SetUploadFiles(chromedp.CSS(`.answer-form input[type=file]`), []string{photo}))
	wantStatus(t, "POST /track/message", clickAndLoad(t, reader, `.answer-form button[type=submit]`), 200)
	wantContains(t, "after answering", textOf(t, reader, "#talk-sent"), "已经发出")
	if loc := location(t, reader); strings.Contains(strings.ReplaceAll(loc, "-", ""), strings.ReplaceAll(code, "-", "")) {
		t.Fatalf("the receipt code is in the address after answering: %s", loc)
	}

	step(t, "3. the reviewer sees the answer under the question")
	wantStatus(t, "reload the item", navigate(t, desk, itemURL), 200)
	thread := textOf(t, desk, "#conversation")
	wantContains(t, "the item's conversation", thread, "三号输液室，靠窗那排。")
	checkAxe(t, desk, false, "the item page with a conversation")
	if q, a := strings.Index(thread, "请问是几号输液室？"), strings.Index(thread, "三号输液室，靠窗那排。"); a < q {
		t.Fatalf("the answer is not under the question:\n%s", thread)
	}
	wantContains(t, "the answer's photo", thread, "JPG 照片")
	if strings.Contains(thread, "IMG_") {
		t.Errorf("the item page names the photo as the phone did: %q", thread)
	}
	served := fetchFile(t, desk, attrOf(t, desk, "#conversation .message-files a", "href"))
	if served.Status != 200 || served.Type != "image/jpeg" || served.NoSniff != "nosniff" {
		t.Errorf("the photo served: %+v", served)
	}
	for _, secret := range []string{testkit.GPSCamera, "Exif", "IMG_2026"} {
		if bytes.Contains(served.data(t), []byte(secret)) {
			t.Errorf("the served photo holds %q", secret)
		}
	}

	step(t, "4. the administrator finds the steps on the audit page")
	if _, err := h.Store.CreateUser(context.Background(), 0, "admin1", reviewerPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	office := newTab(t, browser, h, false)
	wantStatus(t, "GET /admin/login", navigate(t, office, h.URL+"/admin/login"), 200)
	do(t, office, "log in as the administrator",
		chromedp.SendKeys(chromedp.CSS("#username"), "admin1"),
		chromedp.SendKeys(chromedp.CSS("#password"), reviewerPassword),
	)
	wantStatus(t, "POST /admin/login", clickAndLoad(t, office, `form[action="/admin/login"] button[type=submit]`), 200)
	wantStatus(t, "GET /admin/audit", navigate(t, office, h.URL+"/admin/audit"), 200)
	log := textOf(t, office, "#audit-log")
	for _, act := range []string{"向留言人提问", "下载附件", reviewerName, id} {
		wantContains(t, "the audit page", log, act)
	}
}

// servedFile is a file as the browser fetched it with the tab's session.
type servedFile struct {
	Status  int    `json:"status"`
	Type    string `json:"type"`
	NoSniff string `json:"nosniff"`
	Base64  string `json:"b64"`
}

func (f servedFile) data(t *testing.T) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(f.Base64)
	if err != nil || len(b) == 0 {
		t.Fatalf("the served file's bytes: %d, %v", len(b), err)
	}
	return b
}

// fetchFile fetches href in tab (JavaScript on) with its session, as the download link would.
func fetchFile(t *testing.T, tab context.Context, href string) servedFile {
	t.Helper()
	f, err := run(tab, chromedp.Evaluate[servedFile](`fetch(`+strconv.Quote(href)+`, {credentials: "same-origin"}).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer()); let s = "";
		for (const x of b) s += String.fromCharCode(x);
		return {status: r.status, type: r.headers.get("Content-Type") || "", nosniff: r.headers.get("X-Content-Type-Options") || "", b64: btoa(s)};
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch %s: %s", href, errContext(err))
	}
	return f
}
