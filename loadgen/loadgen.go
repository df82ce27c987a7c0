// Package loadgen drives the real submission flow against a running portal: each client loads
// the form (for its CSRF cookie and token), posts an opinion and keeps the receipt code the
// portal acknowledged. It is used by `minsheng loadtest` and by the crash tests, which then
// check that every acknowledged opinion is in the database.
package loadgen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Config says how hard and how long to push.
type Config struct {
	BaseURL      string        // e.g. http://127.0.0.1:8080
	Clients      int           // concurrent clients
	Duration     time.Duration // stop starting new submissions after this long
	MaxPerClient int           // stop a client after this many submissions; 0 = no limit
	Unit         string        // unit code to submit about; default "county-hospital"
	// ReuseForm loads the form once per client and then posts many times with its token, as a
	// person who writes several opinions would. Off, every submission loads the form first.
	ReuseForm bool
}

// Ack is one acknowledged submission: the receipt the portal showed and the text it was for.
type Ack struct {
	Receipt string
	Content string
}

// Result is what a run observed.
type Result struct {
	Acks      []Ack
	Requests  int             // POST /submit requests completed (any status)
	Status    map[int]int     // count per HTTP status of POST /submit, or of the receipt page it led to
	Errors    int             // transport errors (connection refused, reset…)
	Latencies []time.Duration // of POST /submit, sorted
	Elapsed   time.Duration
}

// Percentile returns the p-th percentile (0–100) of the POST latencies.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies)-1) * p / 100)
	return r.Latencies[i]
}

// Class counts statuses by class: 2 for 2xx, 4 for 4xx, 5 for 5xx.
func (r Result) Class(c int) int {
	n := 0
	for s, k := range r.Status {
		if s/100 == c {
			n += k
		}
	}
	return n
}

// Summary is a one-paragraph report.
func (r Result) Summary() string {
	rate := float64(r.Requests) / r.Elapsed.Seconds()
	return fmt.Sprintf("requests %d in %.1fs (%.1f/s); acknowledged %d; 2xx %d, 4xx %d, 5xx %d (503: %d), transport errors %d; p50 %s p95 %s p99 %s",
		r.Requests, r.Elapsed.Seconds(), rate, len(r.Acks), r.Class(2), r.Class(4), r.Class(5), r.Status[503], r.Errors,
		r.Percentile(50).Round(time.Microsecond), r.Percentile(95).Round(time.Microsecond), r.Percentile(99).Round(time.Microsecond))
}

var (
	csrfInput   = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	receiptCode = regexp.MustCompile(`(?s)id="receipt-code"[^>]*>(.*?)</p>`)
	tags        = regexp.MustCompile(`<[^>]*>|\s`)
)

// Run pushes submissions until cfg.Duration passes or ctx ends, and returns what happened.
// A submission counts as acknowledged only when the portal showed a receipt code: it answers
// the POST with 303 to the receipt page, which the client then loads, as a browser does.
func Run(ctx context.Context, cfg Config) Result {
	if cfg.Unit == "" {
		cfg.Unit = "county-hospital"
	}
	if cfg.Clients < 1 {
		cfg.Clients = 1
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	var mu sync.Mutex
	res := Result{Status: map[int]int{}}
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < cfg.Clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(cfg)
			for n := 0; ctx.Err() == nil && (cfg.MaxPerClient == 0 || n < cfg.MaxPerClient); n++ {
				ack, status, took, err := c.submit(ctx)
				mu.Lock()
				switch {
				case err != nil && ctx.Err() == nil:
					res.Errors++
				case err == nil:
					res.Requests++
					res.Status[status]++
					res.Latencies = append(res.Latencies, took)
					if ack != nil {
						res.Acks = append(res.Acks, *ack)
					}
				}
				mu.Unlock()
				if err != nil && ctx.Err() == nil {
					time.Sleep(50 * time.Millisecond) // server down (crash tests): do not spin
				}
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	sort.Slice(res.Latencies, func(i, j int) bool { return res.Latencies[i] < res.Latencies[j] })
	return res
}

type client struct {
	cfg   Config
	http  *http.Client
	token string // CSRF token of the last form loaded, when ReuseForm
}

func newClient(cfg Config) *client {
	jar, _ := cookiejar.New(nil)
	return &client{cfg: cfg, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// submit loads the form and posts one opinion. The request outlives ctx's deadline on purpose:
// a submission in flight when the run ends is finished and counted, never abandoned half-way.
func (c *client) submit(ctx context.Context) (*Ack, int, time.Duration, error) {
	if c.token == "" || !c.cfg.ReuseForm {
		body, status, _, err := c.do(http.MethodGet, "/submit", nil)
		if err != nil {
			return nil, 0, 0, err
		}
		if status != http.StatusOK {
			return nil, 0, 0, fmt.Errorf("GET /submit: %d", status)
		}
		m := csrfInput.FindStringSubmatch(body)
		if m == nil {
			return nil, 0, 0, errors.New("GET /submit: no CSRF token")
		}
		c.token = html.UnescapeString(m[1])
	}
	content := "压力测试留言：门诊排队太久，希望增加窗口。编号 " + nonce()
	form := url.Values{
		"_csrf": {c.token}, "type": {"suggestion"}, "unit": {c.cfg.Unit},
		"dept": {"门诊"}, "submitter": {"patient"}, "content": {content}, "website": {""},
	}
	start := time.Now()
	body, status, location, err := c.do(http.MethodPost, "/submit", form)
	took := time.Since(start)
	if err != nil {
		return nil, 0, 0, err
	}
	if status == http.StatusSeeOther && location == receiptPage {
		if body, status, _, err = c.do(http.MethodGet, receiptPage, nil); err != nil {
			return nil, 0, 0, err
		}
	}
	if status != http.StatusOK {
		return nil, status, took, nil
	}
	r := receiptCode.FindStringSubmatch(body)
	if r == nil {
		return nil, status, took, errors.New("POST /submit: no receipt code shown")
	}
	return &Ack{Receipt: tags.ReplaceAllString(r[1], ""), Content: content}, status, took, nil
}

// receiptPage is where the portal shows the receipt after a submission.
const receiptPage = "/submit/done"

// do sends one request and returns the body, the status and any Location header.
func (c *client) do(method, path string, form url.Values) (string, int, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.cfg.BaseURL+path, body)
	if err != nil {
		return "", 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode, resp.Header.Get("Location"), err
}

// nonce makes each text unique. It starts with a letter so that it never reads as a bank card
// or phone number: the form would then ask the person to confirm personal data.
func nonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "n" + hex.EncodeToString(b)
}
