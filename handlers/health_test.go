package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"minsheng/handlers"
	"minsheng/internal/pgtest"
)

// Ensure /readyz follows the process through its life, starting, serving and stopping, and
// never comes back once stopping; /healthz meanwhile says only whether the database answers.
func TestReadyzFollowsTheProcess(t *testing.T) {
	t.Parallel()
	r := &handlers.Readiness{}
	h := newHarness(t, withReadiness(r))
	b := h.browser()
	steps := []struct {
		name  string
		move  func()
		ready int
	}{
		{"starting", func() {}, http.StatusServiceUnavailable},
		{"serving", r.Serving, http.StatusOK},
		{"stopping", r.Stopping, http.StatusServiceUnavailable},
		{"serving again after stopping", r.Serving, http.StatusServiceUnavailable},
	}
	for _, st := range steps {
		st.move()
		got := b.get(t, "/readyz")
		if got.Code != st.ready {
			t.Errorf("%s: /readyz = %d %q, want %d", st.name, got.Code, got.Body, st.ready)
		}
		if want := map[int]string{200: "ok", 503: "not ready"}[st.ready]; got.Body != want {
			t.Errorf("%s: /readyz body %q, want %q", st.name, got.Body, want)
		}
		if hz := b.get(t, "/healthz"); hz.Code != http.StatusOK || hz.Body != "ok" {
			t.Errorf("%s: /healthz = %d %q, want 200 ok: the database answers whatever the process is doing", st.name, hz.Code, hz.Body)
		}
	}
}

// Ensure /healthz answers 503 once the database no longer answers, on each engine, /readyz
// stays 200 (a database outage is not this process's to report to the balancer), and that what
// is logged carries no device data: the 503 is a server-side failure, logged like any other on a
// public route (the day, the route, the status), never an address, a user agent or a time of day.
// On SQLite the database stops answering when its handle is closed; on PostgreSQL the server
// itself is stopped under the running portal, as an outage would stop it.
func TestHealthzSaysWhetherTheDatabaseAnswers(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, onSQLite)
		healthzFollowsTheDatabase(t, h, func() error { return h.store.Close() })
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		server := pgtest.Start(t) // a server of this test's own, to stop
		h := newHarness(t, onDatabase(server.URL("postgres")))
		if got := h.store.Backend(); got != "postgres" {
			t.Fatalf("Backend() = %q, want postgres", got)
		}
		healthzFollowsTheDatabase(t, h, server.Stop)
	})
}

// healthzFollowsTheDatabase checks /healthz and /readyz on h while the database answers, then
// after stop has made it stop answering.
func healthzFollowsTheDatabase(t *testing.T, h *harness, stop func() error) {
	t.Helper()
	b := h.browser()
	b.headers.Set("User-Agent", "monitor-agent/1.0")
	if r := b.get(t, "/healthz"); r.Code != http.StatusOK || r.Body != "ok" {
		t.Fatalf("/healthz with the database up = %d %q", r.Code, r.Body)
	}
	if r := b.get(t, "/readyz"); r.Code != http.StatusOK || r.Body != "ok" {
		t.Fatalf("/readyz = %d %q", r.Code, r.Body)
	}
	if logs := h.logs.String(); strings.Contains(logs, "healthz") || strings.Contains(logs, "readyz") {
		t.Fatalf("successful health checks were logged:\n%s", logs)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if r := b.get(t, "/healthz"); r.Code != http.StatusServiceUnavailable || r.Body != "unavailable" {
		t.Fatalf("/healthz with the database gone = %d %q, want 503", r.Code, r.Body)
	}
	if r := b.get(t, "/readyz"); r.Code != http.StatusOK {
		t.Fatalf("/readyz with the database gone = %d, want 200", r.Code)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "route=/healthz status=503") {
		t.Errorf("the database not answering left no line for the operator:\n%s", logs)
	}
	for _, device := range []string{"monitor-agent", "192.0.2.", "time=", "remote", "agent"} {
		if strings.Contains(logs, device) {
			t.Errorf("log carries %q:\n%s", device, logs)
		}
	}
}
