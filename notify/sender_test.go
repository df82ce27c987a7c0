package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"minsheng/access"
	"minsheng/internal/testkit"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// planted is an opinion's words, contact and subject: none of it may leave the portal.
var planted = []string{"药房张医生收红包", "13912345678", "zhang@example.org"}

// fixture is a portal with a liaison at the county hospital who takes assigned work by inbox,
// e-mail and robot.
type fixture struct {
	store   *storage.Store
	clock   *testkit.Clock
	liaison storage.User
	sender  *Sender
}

func newFixture(t *testing.T, mailMode string, mailSrv *mailServer) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{clock: testkit.NewClock(time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC))}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	st, err := storage.Open(ctx, filepath.Join(t.TempDir(), "n.db"), storage.Options{Now: f.clock.Now, PasswordCost: bcrypt.MinCost, LoginKey: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	f.store = st
	f.liaison, err = st.CreateScopedUser(ctx, 0, storage.NewUser{Username: "联络员", Password: "correct horse battery", Role: access.Liaison, Unit: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]bool{storage.ChannelInbox: true, storage.ChannelEmail: true, storage.ChannelWebhook: true}
	if err := st.SetNotifyPreferences(ctx, f.liaison.ID, storage.NotifyPerson{Email: "liaison@hospital.example"},
		storage.Choices{storage.EventAssigned: all, storage.EventOverdue: all}); err != nil {
		t.Fatal(err)
	}
	m := storage.SMTPSettings{Host: "127.0.0.1", Port: 1, TLSMode: mailMode, Sender: "minsheng@bureau.example", Username: "minsheng", Password: "mail-password"}
	f.sender = &Sender{Store: st, BaseURL: "https://minsheng.example", Timeout: 5 * time.Second, Lease: time.Minute}
	if mailSrv != nil {
		m.Host, m.Port = mailSrv.host, mailSrv.port
		f.sender.TLS = mailSrv.roots
	}
	if err := st.SetSMTP(ctx, 0, m); err != nil {
		t.Fatal(err)
	}
	return f
}

// assign stores an opinion with planted words and hands it to the county hospital.
func (f *fixture) assign(t *testing.T) string {
	t.Helper()
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	id, err := f.store.CreateOpinion(context.Background(), storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
		Submitter: "patient", Content: planted[0] + "，电话" + planted[1], Contact: planted[2]}, hash)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range lifecycle.PathTo(lifecycle.Assigned) {
		step := lifecycle.Step{To: st, LeadUnit: "county-hospital", Responsible: "药房主任", Measures: "整改",
			Ledger: "problem", Deadline: "2030-01-01"}
		if err := f.store.Transition(context.Background(), 0, id, step); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func noPlanted(t *testing.T, where, text string) {
	t.Helper()
	for _, p := range planted {
		if strings.Contains(text, p) {
			t.Errorf("%s carries %q:\n%s", where, p, text)
		}
	}
}

// A liaison is told of assigned work by e-mail over each TLS mode and by the unit's robot;
// neither carries the opinion's words or contact.
func TestDeliverAssignedWork(t *testing.T) {
	for _, mode := range []string{storage.TLSStartTLS, storage.TLSImplicit, storage.TLSNone} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			srv := startMailServer(t, mode)
			f := newFixture(t, mode, srv)
			wecom := startRobot(t, `{"errcode":0,"errmsg":"ok"}`)
			if err := f.store.SetUnitWebhook(ctx, 0, storage.UnitWebhook{Unit: "county-hospital", URL: wecom.URL + "/cgi-bin/webhook/send?key=K", Format: storage.RobotWeCom}); err != nil {
				t.Fatal(err)
			}
			id := f.assign(t)
			if n, err := f.sender.RunOnce(ctx); err != nil || n != 2 {
				t.Fatalf("RunOnce = %d, %v; want a mail and a post", n, err)
			}
			mails := srv.got()
			if len(mails) != 1 {
				t.Fatalf("%d mails, want 1", len(mails))
			}
			m := mails[0]
			if m.to != "liaison@hospital.example" || m.from != "minsheng@bureau.example" || m.user != "minsheng" {
				t.Errorf("mail envelope %+v", m)
			}
			for _, want := range []string{"交办给我单位", "县人民医院", "2030-01-01", "https://minsheng.example/admin/opinions/" + id} {
				if !strings.Contains(m.subject+m.text, want) {
					t.Errorf("mail lacks %q:\n%s\n%s", want, m.subject, m.text)
				}
			}
			noPlanted(t, "the mail", m.subject+m.text)
			posts, _ := wecom.got()
			if len(posts) != 1 {
				t.Fatalf("%d robot posts, want 1", len(posts))
			}
			var body robotBody
			if err := json.Unmarshal([]byte(posts[0]), &body); err != nil || body.MsgType != "text" || !strings.Contains(body.Text.Content, id) {
				t.Errorf("robot body %s (%v)", posts[0], err)
			}
			noPlanted(t, "the robot post", posts[0])
			if n, _ := f.sender.RunOnce(ctx); n != 0 || len(srv.got()) != 1 {
				t.Errorf("a second run sent again (%d deliveries)", n)
			}
		})
	}
}

// A DingTalk robot with a signing secret gets a timestamp and the HMAC signature it checks.
func TestDingTalkSigned(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, storage.TLSNone, nil)
	ding := startRobot(t, `{"errcode":0}`)
	if err := f.store.SetUnitWebhook(ctx, 0, storage.UnitWebhook{Unit: "county-hospital", URL: ding.URL + "/robot/send?access_token=T",
		Format: storage.RobotDingTalk, Secret: "SECabc"}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetNotifyPreferences(ctx, f.liaison.ID, storage.NotifyPerson{},
		storage.Choices{storage.EventAssigned: {storage.ChannelWebhook: true}}); err != nil {
		t.Fatal(err)
	}
	f.assign(t)
	if _, err := f.sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	posts, urls := ding.got()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	u, _ := http.NewRequest(http.MethodGet, urls[0], nil)
	q := u.URL.Query()
	mac := hmac.New(sha256.New, []byte("SECabc"))
	mac.Write([]byte(q.Get("timestamp") + "\nSECabc"))
	if q.Get("access_token") != "T" || q.Get("sign") != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signed address %s", urls[0])
	}
	noPlanted(t, "the DingTalk post", posts[0])
}

// A failing robot is retried with growing waits, then failed for good; the admin sees it.
func TestRetryWithBackoffThenFail(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, storage.TLSNone, nil)
	bad := startRobot(t, `{"errcode":310000,"errmsg":"keywords not in content"}`)
	if err := f.store.SetUnitWebhook(ctx, 0, storage.UnitWebhook{Unit: "county-hospital", URL: bad.URL, Format: storage.RobotWeCom}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetNotifyPreferences(ctx, f.liaison.ID, storage.NotifyPerson{},
		storage.Choices{storage.EventAssigned: {storage.ChannelWebhook: true}}); err != nil {
		t.Fatal(err)
	}
	f.assign(t)
	wait := time.Minute // 1, 2, 4 … minutes after each failure
	for attempt := 1; attempt <= 8; attempt++ {
		if n, err := f.sender.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("attempt %d: RunOnce = %d, %v", attempt, n, err)
		}
		probs, err := f.store.DeliveryProblems(ctx, 10)
		if err != nil || len(probs) != 1 || !strings.Contains(probs[0].LastError, "310000") {
			t.Fatalf("attempt %d: problems %+v (%v)", attempt, probs, err)
		}
		if attempt == 8 {
			if probs[0].State != "failed" {
				t.Errorf("after 8 attempts the state is %s, want failed", probs[0].State)
			}
			break
		}
		f.clock.Advance(wait - time.Second)
		if n, _ := f.sender.RunOnce(ctx); n != 0 {
			t.Fatalf("attempt %d: retried before %s", attempt, wait)
		}
		f.clock.Advance(time.Second)
		wait *= 2
	}
	f.clock.Advance(24 * time.Hour)
	if n, _ := f.sender.RunOnce(ctx); n != 0 {
		t.Error("a failed message was tried again")
	}
	if posts, _ := bad.got(); len(posts) != 8 {
		t.Errorf("%d posts, want 8", len(posts))
	}
}

// A crash between claiming and marking leaves the message in doubt: it is not sent again,
// and the admin sees it as unknown; the admin's retry sends it.
func TestCrashMidSendIsNotResent(t *testing.T) {
	ctx := context.Background()
	srv := startMailServer(t, storage.TLSNone)
	f := newFixture(t, storage.TLSNone, srv)
	f.assign(t)
	claimed, err := f.store.ClaimDeliveries(ctx, time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim = %d, %v", len(claimed), err)
	}
	// The server dies here, before marking. After a restart, once the lease has run out:
	f.clock.Advance(2 * time.Minute)
	if n, err := f.sender.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("after the crash RunOnce = %d, %v; want nothing sent", n, err)
	}
	probs, _ := f.store.DeliveryProblems(ctx, 10)
	if len(probs) != 1 || probs[0].State != "unknown" {
		t.Fatalf("problems after the crash = %+v, want one unknown", probs)
	}
	if err := f.store.RetryDelivery(ctx, 0, probs[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.sender.RunOnce(ctx); n != 1 || len(srv.got()) != 1 {
		t.Errorf("the admin's retry: %d deliveries, %d mails", n, len(srv.got()))
	}
}

// On the hourly digest a person gets at most one mail an hour, holding all that waited.
func TestHourlyDigest(t *testing.T) {
	ctx := context.Background()
	srv := startMailServer(t, storage.TLSNone)
	f := newFixture(t, storage.TLSNone, srv)
	if err := f.store.SetNotifyPreferences(ctx, f.liaison.ID, storage.NotifyPerson{Email: "liaison@hospital.example", Hourly: true},
		storage.Choices{storage.EventAssigned: {storage.ChannelEmail: true}}); err != nil {
		t.Fatal(err)
	}
	f.assign(t)
	f.assign(t)
	if _, err := f.sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.got(); len(got) != 1 || strings.Count(got[0].text, "/admin/opinions/") != 2 {
		t.Fatalf("first hour: %d mails, want one with both", len(got))
	}
	f.clock.Advance(10 * time.Minute)
	third := f.assign(t)
	f.sender.RunOnce(ctx)
	if len(srv.got()) != 1 {
		t.Fatal("a second mail within the hour")
	}
	f.clock.Advance(51 * time.Minute)
	f.sender.RunOnce(ctx)
	if got := srv.got(); len(got) != 2 || !strings.Contains(got[1].text, third) {
		t.Errorf("after the hour: %d mails", len(got))
	}
}

// No mail server configured: the mail waits, with the reason shown to the admin.
func TestNoMailServerIsVisible(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, storage.TLSNone, nil)
	if err := f.store.SetSMTP(ctx, 0, storage.SMTPSettings{Port: 587, TLSMode: storage.TLSStartTLS}); err != nil {
		t.Fatal(err)
	}
	f.assign(t)
	f.sender.RunOnce(ctx)
	probs, _ := f.store.DeliveryProblems(ctx, 10)
	if len(probs) != 1 || !strings.Contains(probs[0].LastError, ErrNoMailServer.Error()) {
		t.Errorf("problems = %+v", probs)
	}
}

// The daily digest of public-caused events is one mail of counts and a link to the inbox.
func TestDigestMail(t *testing.T) {
	ctx := context.Background()
	srv := startMailServer(t, storage.TLSNone)
	f := newFixture(t, storage.TLSNone, srv)
	reviewer, err := f.store.CreateUser(ctx, 0, "审核员", "correct horse battery", storage.RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetRoleDefaults(ctx, 0, storage.RoleReviewer, storage.Choices{storage.EventNewOpinion: {storage.ChannelEmail: true}}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetNotifyPreferences(ctx, reviewer.ID, storage.NotifyPerson{Email: "reviewer@bureau.example"}, nil); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		hash := make([]byte, 32)
		_, _ = rand.Read(hash)
		if _, err := f.store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
			Content: planted[0], Contact: planted[1]}, hash); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := f.sender.RunOnce(ctx); n != 0 {
		t.Fatalf("public requests caused %d deliveries the same day", n)
	}
	f.clock.Advance(24 * time.Hour) // 10:00 the next day, after the digest hour
	if ok, err := f.store.QueueDigest(ctx); !ok || err != nil {
		t.Fatalf("QueueDigest = %v, %v", ok, err)
	}
	if _, err := f.sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got := srv.got()
	if len(got) != 1 || got[0].to != "reviewer@bureau.example" {
		t.Fatalf("mails = %+v, want the reviewer's digest", got)
	}
	for _, want := range []string{"新意见：3条", "https://minsheng.example/admin/inbox"} {
		if !strings.Contains(got[0].text, want) {
			t.Errorf("digest lacks %q:\n%s", want, got[0].text)
		}
	}
	noPlanted(t, "the digest", got[0].subject+got[0].text)
}

// A hot spot's mail names the kind, the unit and the last day counted, links to the unit's
// dashboard of that month, and carries no words of any opinion.
func TestHotSpotMail(t *testing.T) {
	ctx := context.Background()
	srv := startMailServer(t, storage.TLSNone)
	f := newFixture(t, storage.TLSNone, srv)
	reviewer, err := f.store.CreateUser(ctx, 0, "审核员", "correct horse battery", storage.RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetNotifyPreferences(ctx, reviewer.ID, storage.NotifyPerson{Email: "reviewer@bureau.example"},
		storage.Choices{storage.EventHotSpot: {storage.ChannelEmail: true}}); err != nil {
		t.Fatal(err)
	}
	n, err := f.store.QueueHotSpots(ctx, []storage.HotSpotNotice{{UserID: reviewer.ID, Unit: "county-hospital", Key: planted[0], Through: "2026-03-31"}})
	if err != nil || n != 1 {
		t.Fatalf("QueueHotSpots = %d, %v", n, err)
	}
	if _, err := f.sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got := srv.got()
	if len(got) != 1 || got[0].to != "reviewer@bureau.example" {
		t.Fatalf("mails = %+v, want the reviewer's warning", got)
	}
	for _, want := range []string{"新预警", "统计截至 2026-03-31", "https://minsheng.example/admin/dashboard/county-hospital?month=2026-03"} {
		if !strings.Contains(got[0].subject+got[0].text, want) {
			t.Errorf("the mail lacks %q:\n%s\n%s", want, got[0].subject, got[0].text)
		}
	}
	noPlanted(t, "the warning", got[0].subject+got[0].text)
}
