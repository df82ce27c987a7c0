package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"minsheng/storage"
)

// Sender delivers the outbox. Several may run against one database: each claims its rows.
type Sender struct {
	Store   *storage.Store
	BaseURL string // the portal's public address, for links
	// HTTP posts to the robots; nil means a client with a 10 s timeout.
	HTTP *http.Client
	// TLS is the TLS configuration for the SMTP server (nil: the system's roots); the
	// server's name is filled in.
	TLS *tls.Config
	// Timeout bounds one SMTP conversation; Lease must exceed it (a row whose lease runs out
	// while still sending is taken for a crash). Zero: 60 s and 5 min.
	Timeout, Lease time.Duration
	Log            *slog.Logger
}

// ErrNoMailServer means mail is due but no SMTP server is configured; it is retried.
var ErrNoMailServer = errors.New("no SMTP server configured")

// RunOnce claims what is due, sends each delivery and records the outcome. It returns how
// many deliveries it tried.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	lease := s.Lease
	if lease == 0 {
		lease = 5 * time.Minute
	}
	ds, err := s.Store.ClaimDeliveries(ctx, lease, 50)
	if err != nil {
		return 0, err
	}
	var mail *storage.SMTPSettings
	for _, d := range ds {
		var sendErr error
		switch d.Channel {
		case storage.ChannelEmail:
			if mail == nil {
				m, err := s.Store.SMTPForSending(ctx)
				if err != nil {
					sendErr = err
					break
				}
				mail = &m
			}
			sendErr = s.sendMail(ctx, *mail, d)
		case storage.ChannelWebhook:
			sendErr = s.postRobot(ctx, d)
		}
		if sendErr != nil && s.Log != nil {
			s.Log.Warn("notification not delivered", "channel", d.Channel, "err", sendErr)
		}
		if err := s.Store.DeliveryDone(ctx, d, sendErr); err != nil {
			return len(ds), err
		}
	}
	return len(ds), nil
}

// Run calls RunOnce every interval until ctx ends. The outbox is in the database, so what was
// queued before a restart goes out after it.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && s.Log != nil {
			s.Log.Error("notification sender", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// message is d as an RFC 5322 mail: text only, base64 body, encoded subject.
func message(from, to, subject, text string, now time.Time) []byte {
	var b bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	host := "minsheng"
	if at := strings.LastIndex(from, "@"); at >= 0 {
		host = from[at+1:]
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n", from, to,
		mime.BEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z), hex.EncodeToString(id), host)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	body := base64.StdEncoding.EncodeToString([]byte(text))
	for len(body) > 76 {
		b.WriteString(body[:76] + "\r\n")
		body = body[76:]
	}
	b.WriteString(body + "\r\n")
	return b.Bytes()
}

// sendMail sends d through the SMTP server m in one conversation bounded by the timeout.
func (s *Sender) sendMail(ctx context.Context, m storage.SMTPSettings, d storage.Delivery) error {
	if !m.Configured() {
		return ErrNoMailServer
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connect to the mail server: %w", err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLS != nil {
		cfg = s.TLS.Clone()
	}
	cfg.ServerName = m.Host
	var c *smtp.Client
	switch m.TLSMode {
	case storage.TLSImplicit:
		c = smtp.NewClient(tls.Client(conn, cfg))
	case storage.TLSStartTLS:
		if c, err = smtp.NewClientStartTLS(conn, cfg); err != nil {
			conn.Close()
			return fmt.Errorf("STARTTLS: %w", err)
		}
	default:
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	if m.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", m.Username, m.Password)); err != nil {
			return fmt.Errorf("log in to the mail server: %w", err)
		}
	}
	subject, text := compose(d, s.BaseURL)
	if err := c.SendMail(m.Sender, []string{d.Email}, bytes.NewReader(message(m.Sender, d.Email, subject, text, time.Now()))); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	_ = c.Quit()
	return nil
}

// robotBody is the text message both WeCom and DingTalk group robots take.
type robotBody struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// postRobot posts d to its unit's robot and checks the robot's own answer (errcode 0).
func (s *Sender) postRobot(ctx context.Context, d storage.Delivery) error {
	subject, text := compose(d, s.BaseURL)
	var body robotBody
	body.MsgType = "text"
	body.Text.Content = subject + "\n" + text
	raw, _ := json.Marshal(body)
	target := d.Webhook.URL
	if d.Webhook.Format == storage.RobotDingTalk && d.Webhook.Secret != "" {
		target = dingTalkSigned(target, d.Webhook.Secret, time.Now())
	}
	client := s.HTTP
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("robot address: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("post to the robot: %w", redactURL(err))
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("robot answered %s", resp.Status)
	}
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(answer, &r) == nil && r.ErrCode != 0 {
		return fmt.Errorf("robot refused: %d %s", r.ErrCode, r.ErrMsg)
	}
	return nil
}

// dingTalkSigned adds DingTalk's timestamp and sign (HMAC-SHA256 of "timestamp\nsecret" keyed
// with the secret, base64) to the robot's address.
func dingTalkSigned(target, secret string, now time.Time) string {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "\n" + secret))
	u, err := url.Parse(target)
	if err != nil {
		return target
	}
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", base64.StdEncoding.EncodeToString(m.Sum(nil)))
	u.RawQuery = q.Encode()
	return u.String()
}

// redactURL keeps a robot's access token out of errors (they are stored and shown to admins).
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
