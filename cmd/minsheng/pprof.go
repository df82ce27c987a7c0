//go:build pprof

package main

import (
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux, which the portal never serves
	"os"
)

// Only in a binary built with -tags pprof (loadgen/wrk/run.sh does, for PROFILE=1): Go's
// profiler on the loopback address in MINSHENG_PPROF_ADDR, a listener of its own, apart from the
// portal's router. A production build has neither this file nor the profiler's routes.
func init() {
	addr := os.Getenv("MINSHENG_PPROF_ADDR")
	if addr == "" {
		return
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || !net.ParseIP(host).IsLoopback() {
		panic("MINSHENG_PPROF_ADDR must be a loopback address such as 127.0.0.1:6060")
	}
	go func() { _ = http.ListenAndServe(addr, nil) }()
}
