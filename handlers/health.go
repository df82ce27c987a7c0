package handlers

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// healthTimeout bounds /healthz's database read: a monitor wants a quick answer, and a
// database that cannot answer SELECT 1 within it is as good as down.
const healthTimeout = 2 * time.Second

// Readiness is whether this process takes traffic, for /readyz: starting until Serving,
// serving, then stopping from Stopping on (it never goes back). Safe for concurrent use; the
// zero value is starting.
type Readiness struct {
	state atomic.Int32
}

const (
	starting int32 = iota
	serving
	stopping
)

// Serving marks the process as taking traffic, unless it is already stopping.
func (r *Readiness) Serving() { r.state.CompareAndSwap(starting, serving) }

// Stopping marks the process as shutting down: /readyz answers 503 from now on, so that a load
// balancer sends new requests elsewhere while those in flight finish.
func (r *Readiness) Stopping() { r.state.Store(stopping) }

// Ready reports whether the process is serving.
func (r *Readiness) Ready() bool { return r.state.Load() == serving }

// health handles GET /healthz: 200 "ok" when the database answers a cheap read within
// healthTimeout, 503 when it does not. Nothing about the request is logged.
func (s *Server) health(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), healthTimeout)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return c.String(http.StatusServiceUnavailable, "unavailable")
	}
	return c.String(http.StatusOK, "ok")
}

// ready handles GET /readyz, for a load balancer: 200 "ok" while the process serves, 503 while
// it starts or shuts down. It does not ask the database (that is /healthz): a database outage
// should not take every process out of the balancer at once and leave people no 503 page.
func (s *Server) ready(c echo.Context) error {
	if !s.readiness.Ready() {
		return c.String(http.StatusServiceUnavailable, "not ready")
	}
	return c.String(http.StatusOK, "ok")
}
