package e2e

import (
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"

	"minsheng/lifecycle"
	"minsheng/notify"
	"minsheng/receipt"
	"minsheng/storage"
)

// mailCatcher is a real SMTP server (go-smtp) that keeps what it is sent.
type mailCatcher struct {
	mu    sync.Mutex
	mails []string // "to\nbody"
}

type catcherSession struct {
	c  *mailCatcher
	to string
}

func (s *catcherSession) Reset()                                    {}
func (s *catcherSession) Logout() error                             { return nil }
func (s *catcherSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *catcherSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *catcherSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	s.c.mu.Lock()
	s.c.mails = append(s.c.mails, s.to+"\n"+string(body))
	s.c.mu.Unlock()
	return nil
}

// A liaison receives work assigned to the unit in the portal's inbox, by e-mail and by the
// unit's group robot; none of them carries the opinion's words.
func TestLiaisonToldOfAssignedWork(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const liaison, content = "liaison-notify", "收费处的李某某多收了两百元"
	if _, err := h.Store.CreateScopedUser(ctx, 0, storage.NewUser{Username: liaison, Password: staffPassword, Role: "liaison", Unit: "county-hospital"}); err != nil {
		t.Fatal(err)
	}
	catcher := &mailCatcher{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &catcherSession{c: catcher}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	var posts []string
	var mu sync.Mutex
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, string(b))
		mu.Unlock()
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(robot.Close)
	// The administrator's settings (their page is tested in handlers).
	if err := h.Store.SetSMTP(ctx, 0, storage.SMTPSettings{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port,
		TLSMode: storage.TLSNone, Sender: "minsheng@bureau.example"}); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.SetUnitWebhook(ctx, 0, storage.UnitWebhook{Unit: "county-hospital", URL: robot.URL + "/cgi-bin/webhook/send?key=k", Format: storage.RobotWeCom}); err != nil {
		t.Fatal(err)
	}

	browser := newBrowser(t)
	desk := newTab(t, browser, h, false)
	staffLogin(t, desk, h, liaison, staffPassword)
	// The liaison chooses e-mail and the robot for assigned work.
	wantStatus(t, "GET /admin/notify/mine", navigate(t, desk, h.URL+"/admin/notify/mine"), 200)
	do(t, desk, "fill the notification settings",
		chromedp.SendKeys(chromedp.CSS("#email"), "liaison@hospital.example"),
		chromedp.Click(chromedp.CSS(`input[name=pref][value="assigned.email"]`)),
		chromedp.Click(chromedp.CSS(`input[name=pref][value="assigned.webhook"]`)),
	)
	wantStatus(t, "save the settings", clickAndLoad(t, desk, `#notify-mine button[type=submit]`), 200)
	wantContains(t, "saved", textOf(t, desk, "#notify-saved"), "已保存")

	// The office hands an opinion to 县人民医院.
	norm, _ := receipt.Parse(receipt.New())
	id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
		Content: content, Contact: "13700001111"}, h.Receipts.Hash(norm))
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range lifecycle.PathTo(lifecycle.Assigned) {
		if err := h.Store.Transition(ctx, 0, id, lifecycle.Step{To: st, LeadUnit: "county-hospital", Responsible: "收费处主任",
			Measures: "核对收费", Ledger: "problem", Deadline: "2030-01-01"}); err != nil {
			t.Fatal(err)
		}
	}
	sender := &notify.Sender{Store: h.Store, BaseURL: h.URL}
	if n, err := sender.RunOnce(ctx); err != nil || n != 2 {
		t.Fatalf("sender: %d deliveries, %v; want a mail and a robot post", n, err)
	}

	// In the portal: the count on every page, the line in the inbox, the link to the item.
	wantStatus(t, "GET /admin/queue", navigate(t, desk, h.URL+"/admin/queue"), 200)
	// The menu folds behind 菜单 on a narrow window: open it as a person would.
	if _, err := run(desk, chromedp.Evaluate[bool](`(d => { if (!d.open) d.querySelector("summary").click(); return true })(document.querySelector("details.staff-menu"))`)); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "unread count", textOf(t, desk, "#unread-count"), "1")
	wantStatus(t, "open the inbox", clickAndLoad(t, desk, "#nav-inbox"), 200)
	inbox := textOf(t, desk, "#inbox-list")
	wantContains(t, "inbox", inbox, "交办给我单位")
	wantContains(t, "inbox", inbox, "2030-01-01")
	wantStatus(t, "open the item", clickAndLoad(t, desk, `#inbox-list a[href="/admin/opinions/`+id+`"]`), 200)
	wantContains(t, "item page", textOf(t, desk, ".quote"), content)

	catcher.mu.Lock()
	mails := append([]string(nil), catcher.mails...)
	catcher.mu.Unlock()
	if len(mails) != 1 || !strings.HasPrefix(mails[0], "liaison@hospital.example\n") {
		t.Fatalf("mails = %q", mails)
	}
	wantContains(t, "mail", mails[0], h.URL+"/admin/opinions/"+id)
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 1 {
		t.Fatalf("robot posts = %q", posts)
	}
	wantContains(t, "robot post", posts[0], id)
	for _, leaked := range []string{content, "13700001111"} {
		if strings.Contains(mails[0], leaked) || strings.Contains(posts[0], leaked) {
			t.Errorf("%q left the portal", leaked)
		}
	}
}
