package notify

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"minsheng/storage"
)

// received is one mail the test server took.
type received struct {
	from, to, user string
	subject, text  string
}

// mailServer is a real SMTP server (go-smtp) in the test process.
type mailServer struct {
	mu    sync.Mutex
	mails []received
	host  string
	port  int
	roots *tls.Config // what the sender must trust
}

func (m *mailServer) got() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]received(nil), m.mails...)
}

type mailSession struct {
	srv *mailServer
	cur received
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if pass != "mail-password" {
			return errors.New("bad password")
		}
		s.cur.user = user
		return nil
	}), nil
}
func (s *mailSession) Reset()        {}
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = to
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	raw, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	s.cur.subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	s.cur.text = string(raw)
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, s.cur)
	s.srv.mu.Unlock()
	return nil
}

// startMailServer serves SMTP on 127.0.0.1 in mode (storage.TLS*), with a certificate the
// returned config trusts.
func startMailServer(t *testing.T, mode string) *mailServer {
	t.Helper()
	certs := httptest.NewUnstartedServer(nil)
	certs.StartTLS()
	t.Cleanup(certs.Close)
	m := &mailServer{roots: &tls.Config{RootCAs: certs.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{srv: m}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = mode == storage.TLSNone
	srv.TLSConfig = &tls.Config{Certificates: certs.TLS.Certificates}
	var ln net.Listener
	var err error
	if mode == storage.TLSImplicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	m.host = "127.0.0.1"
	m.port = ln.Addr().(*net.TCPAddr).Port
	return m
}

// robot is a group robot's HTTP endpoint.
type robot struct {
	mu    sync.Mutex
	posts []string // bodies
	urls  []string
	*httptest.Server
}

func startRobot(t *testing.T, answer string) *robot {
	r := &robot{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts = append(r.posts, string(body))
		r.urls = append(r.urls, req.URL.String())
		r.mu.Unlock()
		io.WriteString(w, answer)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *robot) got() ([]string, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.posts...), append([]string(nil), r.urls...)
}
