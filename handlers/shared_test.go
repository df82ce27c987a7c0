package handlers_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	minsheng "minsheng"
	"minsheng/campaign"
	"minsheng/captchastore"
	"minsheng/handlers"
	"minsheng/internal/storetest"
	"minsheng/receipt"
	"minsheng/storage"
)

// Several processes, one database (#15): two routers built by handlers.New on two Store
// handles opened on one database file, each with its own captcha store and everything else it
// keeps, as two portal processes behind one proxy would have; the same key file for both.
// A browser is moved between them (b.h) as a proxy might send its requests.

// sharedKey stands for the key file both processes read.
var sharedKey = bytes.Repeat([]byte("k"), 32)

// withLoginKey keys the failed-login counts with the key file, as the server does.
func withLoginKey(s *harnessSetup) { s.store.LoginKey = sharedKey }

// twoProcesses returns two portals on one database (a file, or with onPostgres one PostgreSQL
// database).
func twoProcesses(t *testing.T, opts ...harnessOption) (a, b *harness) {
	t.Helper()
	a = newHarness(t, append([]harnessOption{withLoginKey}, opts...)...)
	return a, secondProcess(t, a)
}

// secondProcess opens a's database file again and builds a second portal on it: its own Store,
// captcha store, caches and limits, the same key and clock.
func secondProcess(t *testing.T, a *harness) *harness {
	t.Helper()
	st, err := storage.Open(context.Background(), a.dbPath, storage.Options{Now: a.clock.Now,
		PasswordCost: bcrypt.MinCost, LoginKey: sharedKey})
	if err != nil {
		t.Fatalf("storage.Open (second process): %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	hasher, err := receipt.NewHasher(sharedKey)
	if err != nil {
		t.Fatal(err)
	}
	captchas, err := captchastore.NewShared(hasher.Derive("captcha"), 10*time.Minute, st)
	if err != nil {
		t.Fatal(err)
	}
	b := &harness{store: st, captchas: captchas, hasher: hasher, clock: a.clock, logs: a.logs, dbPath: a.dbPath}
	b.e, err = handlers.New(handlers.Config{Store: st, Receipts: hasher, Captchas: captchas,
		Templates: minsheng.TemplatesFS, Static: minsheng.StaticFS,
		Logger: slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatalf("handlers.New (second process): %v", err)
	}
	return b
}

// TestSubmissionAcrossProcesses: the form and its captcha's image come from A, the POST goes
// to B, the receipt page is shown by A and again by B; the captcha cannot be answered again on
// either; 清除 on B clears the receipt for A too.
func TestSubmissionAcrossProcesses(t *testing.T) {
	t.Parallel()
	submissionAcrossProcesses(t)
}

func submissionAcrossProcesses(t *testing.T, opts ...harnessOption) {
	a, b := twoProcesses(t, opts...)
	br := a.browser()
	page := br.getCSRF(t, "/submit")
	id, answer := a.captchaFor(t, page.Body)
	for _, p := range []*harness{a, b} {
		br.h = p
		img := br.get(t, "/captcha/"+id+".png")
		wantStatus(t, img, http.StatusOK)
		if !strings.HasPrefix(img.Body, "\x89PNG") {
			t.Fatal("the captcha's image is not a PNG")
		}
	}
	if other, ok := b.captchas.Answer(id); !ok || other != answer {
		t.Fatalf("B reads the captcha as %q (%v), A drew %q", other, ok, answer)
	}

	br.h = b
	v := validOpinion()
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	posted := br.post(t, "/submit", v)
	wantStatus(t, posted, http.StatusSeeOther)
	br.h = a
	shown := br.follow(t, posted)
	wantStatus(t, shown, http.StatusOK)
	code := receiptOf(t, shown)
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("receipt %q: %v", code, err)
	}
	if _, err := a.store.OpinionByReceipt(context.Background(), a.hasher.Hash(norm)); err != nil {
		t.Fatalf("the receipt A shows finds no opinion: %v", err)
	}
	br.h = b
	if again := receiptOf(t, br.get(t, "/submit/done")); again != code {
		t.Fatalf("B shows %q on reload, A showed %q", again, code)
	}

	// The same captcha again, on A: spent.
	br.h = a
	br.getCSRF(t, "/submit")
	replay := br.post(t, "/submit", v)
	wantStatus(t, replay, http.StatusUnprocessableEntity)
	wantContains(t, replay.Body, "验证码")

	// 清除 on B; a copy of the cookie kept elsewhere opens nothing on A.
	kept := *br.cookies["ms_receipt"]
	br.h = b
	br.getCSRF(t, "/submit/done")
	wantStatus(t, br.post(t, "/submit/done/forget", url.Values{}), http.StatusSeeOther)
	br.h = a
	br.cookies["ms_receipt"] = &kept
	gone := br.get(t, "/submit/done")
	wantContains(t, gone.Body, "查询码已不再显示")
	wantNotContains(t, gone.Body, code)
}

// TestLoginThrottleSpansProcesses: failures on A and B count together; after
// storage.CaptchaAfter of them, alternately on each, both want the captcha.
func TestLoginThrottleSpansProcesses(t *testing.T) {
	t.Parallel()
	loginThrottleSpansProcesses(t)
}

func loginThrottleSpansProcesses(t *testing.T, opts ...harnessOption) {
	a, b := twoProcesses(t, opts...)
	owner := a.newStaff(t, "审核员甲")
	br := a.browser()
	page := br.getCSRF(t, "/admin/login")
	for i := range storage.CaptchaAfter {
		br.h = []*harness{a, b}[i%2]
		page = br.loginForm(t, page, owner.Username, "wrong password", rightCaptcha)
		wantStatus(t, page, http.StatusUnauthorized)
		a.clock.Advance(storage.MaxLoginDelay) // no wait in the way: only the count matters here
	}
	var asked *response
	for _, p := range []*harness{a, b} {
		br.h = p
		fresh := br.getCSRF(t, "/admin/login")
		asked = br.loginForm(t, fresh, owner.Username, staffPassword, noCaptcha)
		if asked.Code == http.StatusSeeOther {
			t.Fatalf("the right password without the captcha logged in after %d failures on two processes", storage.CaptchaAfter)
		}
		if !captchaIDRe.MatchString(asked.Body) {
			t.Fatalf("status %d without the captcha after %d failures on two processes", asked.Code, storage.CaptchaAfter)
		}
	}
	// The captcha B's page shows, answered on A, lets the owner in.
	br.h = a
	if in := br.loginForm(t, asked, owner.Username, staffPassword, rightCaptcha); in.Code != http.StatusSeeOther {
		t.Fatalf("the owner with the captcha from the other process: status %d", in.Code)
	}
	br.h = b
	wantStatus(t, br.get(t, "/admin/queue"), http.StatusOK) // the session A opened serves on B
}

// TestMissesShareOneBudgetAcrossProcesses: wrong codes on A and B draw on one budget.
func TestMissesShareOneBudgetAcrossProcesses(t *testing.T) {
	t.Parallel()
	missesShareOneBudgetAcrossProcesses(t)
}

func missesShareOneBudgetAcrossProcesses(t *testing.T, opts ...harnessOption) {
	a, b := twoProcesses(t, opts...)
	br := a.browser()
	br.getCSRF(t, "/track")
	misses := 0
	for ; misses < 200; misses++ {
		br.h = []*harness{a, b}[misses%2]
		if r := br.post(t, "/track", url.Values{"code": {receipt.New()}}); r.Code == http.StatusTooManyRequests {
			break
		} else if r.Code != http.StatusNotFound {
			t.Fatalf("miss %d: status %d", misses, r.Code)
		}
	}
	// missBurst (30) in all, not 30 on each.
	if misses != 30 {
		t.Fatalf("%d misses on two processes before 429, want the one budget of 30", misses)
	}
	if err := handlers.RefillMisses(context.Background(), b.store); err != nil {
		t.Fatal(err)
	}
	br.h = a
	if r := br.post(t, "/track", url.Values{"code": {receipt.New()}}); r.Code != http.StatusNotFound {
		t.Fatalf("after a refill: status %d, want 404", r.Code)
	}
}

// TestChangesShowOnTheOtherProcessWithinTheBound: a campaign started on A is listed on B's
// /gongshi within storage.GenerationsEvery, though B had the campaigns in memory.
func TestChangesShowOnTheOtherProcessWithinTheBound(t *testing.T) {
	t.Parallel()
	changesShowOnTheOtherProcessWithinTheBound(t)
}

func changesShowOnTheOtherProcessWithinTheBound(t *testing.T, opts ...harnessOption) {
	a, b := twoProcesses(t, opts...)
	br := b.browser()
	wantNotContains(t, br.get(t, "/gongshi").Body, "秋季征求意见活动")
	if _, err := a.store.SaveCampaign(context.Background(), 0, campaign.Campaign{Name: "秋季征求意见活动", ImmediateDays: 5, LimitedDays: 30,
		Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: "2026-04-01", EndsOn: "2026-04-30"}}}); err != nil {
		t.Fatal(err)
	}
	a.clock.Advance(storage.GenerationsEvery)
	wantContains(t, br.get(t, "/gongshi").Body, "秋季征求意见活动")
}

// TestBusyDatabaseWhileSpendingTheCaptcha: the captcha's use is a write; a database whose write
// lock is held elsewhere makes the submission answer 503 with the words kept, never 500, and
// the captcha, not spent, still works once the lock is let go.
func TestBusyDatabaseWhileSpendingTheCaptcha(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withBusyTimeout(50*time.Millisecond))
	br := h.browser()
	page := br.getCSRF(t, "/submit")
	id, answer := h.captchaFor(t, page.Body)
	v := validOpinion()
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	release := storetest.HoldWriteLock(t, h.store)
	busy := br.post(t, "/submit", v)
	wantStatus(t, busy, http.StatusServiceUnavailable)
	wantContains(t, busy.Body, "系统繁忙", v.Get("content"))
	release()
	if r := br.post(t, "/submit", v); r.Code != http.StatusSeeOther {
		t.Fatalf("the same captcha after the lock was let go: status %d, want 303", r.Code)
	}
}

// TestPostgresSeveralProcesses: the walks above with both portals on one PostgreSQL database
// (#15: several processes, one database server), alternating requests between them.
func TestPostgresSeveralProcesses(t *testing.T) {
	for name, walk := range map[string]func(*testing.T, ...harnessOption){
		"SubmissionAcrossProcesses":                  submissionAcrossProcesses,
		"LoginThrottleSpansProcesses":                loginThrottleSpansProcesses,
		"MissesShareOneBudgetAcrossProcesses":        missesShareOneBudgetAcrossProcesses,
		"ChangesShowOnTheOtherProcessWithinTheBound": changesShowOnTheOtherProcessWithinTheBound,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			walk(t, onPostgres)
		})
	}
}
