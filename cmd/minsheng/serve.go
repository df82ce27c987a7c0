package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"minsheng"
	"minsheng/captchastore"
	"minsheng/handlers"
	"minsheng/notify"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/tagging"
)

// Server timeouts: a slow or stalled client cannot hold a connection open for ever.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 5 * time.Minute // a large export streams for a while
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 30 * time.Second
	captchaLifetime   = 30 * time.Minute // long enough for a tired person to write slowly
	servingGCPercent  = 400
)

// serve runs the portal until ctx ends, then finishes in-flight requests and closes the database.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("serve", getenv, stderr)
	addr := fs.String("addr", envOr(getenv, "MINSHENG_ADDR", "127.0.0.1:8080"), "address to listen on (env MINSHENG_ADDR)")
	publicURL := fs.String("public-url", getenv("MINSHENG_PUBLIC_URL"), "address people use to reach the portal, for printed links (env MINSHENG_PUBLIC_URL)")
	captchaOn, err := envOnOff(getenv, "MINSHENG_CAPTCHA", true)
	if err != nil {
		return err
	}
	fs.Var(&captchaOn, "captcha", "captcha on the public form, `on|off` (off only for load tests and development; env MINSHENG_CAPTCHA)")
	secure, err := envOnOff(getenv, "MINSHENG_SECURE_COOKIES", false)
	if err != nil {
		return err
	}
	fs.Var(&secure, "secure-cookies", "mark cookies Secure, `on|off`: on when served over HTTPS (env MINSHENG_SECURE_COOKIES=on)")
	pseudoRTL, err := envOnOff(getenv, "MINSHENG_PSEUDO_RTL", false)
	if err != nil {
		return err
	}
	fs.Var(&pseudoRTL, "pseudo-rtl", "also serve the pages in a made-up right-to-left language under /ar-XB/, `on|off`: English drawn "+
		"backwards on mirrored pages, for translators and layout tests; never offered to the public (env MINSHENG_PSEUDO_RTL=on)")
	kioskIdle := fs.String("kiosk-idle", envOr(getenv, "MINSHENG_KIOSK_IDLE", "2m"),
		"how long a lobby kiosk's form waits untouched before it clears itself, 30s to 30m (env MINSHENG_KIOSK_IDLE)")
	kioskReceipt := fs.String("kiosk-receipt", envOr(getenv, "MINSHENG_KIOSK_RECEIPT", "60s"),
		"how long a lobby kiosk shows a receipt code, 10s to 10m (env MINSHENG_KIOSK_RECEIPT)")
	retrainEvery := fs.String("retrain-every", envOr(getenv, "MINSHENG_RETRAIN_EVERY", "24h"),
		"how often the tag suggestion model learns from the office's tags, 1h or more, or off (env MINSHENG_RETRAIN_EVERY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if getenv("GOGC") == "" {
		// The collector runs when the heap has grown by this share of what is live. Go's 100
		// made it run every few hundred submissions under load (allocation and collection were
		// about a tenth of the portal's CPU in #11); the live heap is small (tens of MB) and the
		// server's memory is not, so it may grow further between collections. GOGC set in the
		// environment wins.
		debug.SetGCPercent(servingGCPercent)
	}
	var every time.Duration
	if *retrainEvery != "off" {
		if every, err = durationIn("retrain-every", *retrainEvery, time.Hour, 30*24*time.Hour); err != nil {
			return err
		}
	}
	idle, err := durationIn("kiosk-idle", *kioskIdle, 30*time.Second, 30*time.Minute)
	if err != nil {
		return err
	}
	receiptTime, err := durationIn("kiosk-receipt", *kioskReceipt, 10*time.Second, 10*time.Minute)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	key, err := loadKey(common.keyPath())
	if err != nil {
		return fmt.Errorf("receipt key: %w", err)
	}
	hasher, err := receipt.NewHasher(key)
	if err != nil {
		return err
	}
	store, err := storage.Open(ctx, common.db, storage.Options{LoginKey: key, Progress: stderr})
	if err != nil {
		return err
	}
	defer store.Close()

	var captchas *captchastore.Store
	if captchaOn {
		// Sealed with the key file and spent in the database: every process serving this
		// database draws and checks the same challenges.
		if captchas, err = captchastore.NewShared(key, captchaLifetime, store); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(stderr, "WARNING: the captcha is OFF. Anyone can post opinions automatically.")
		fmt.Fprintln(stderr, "WARNING: use -captcha=off only for load tests and development, never in service.")
	}
	learner, err := tagging.Open(ctx, store)
	if err != nil {
		return err
	}
	// /readyz answers 503 until the server serves and again from the moment shutdown begins.
	readiness := &handlers.Readiness{}
	e, err := handlers.New(handlers.Config{Store: store, Receipts: hasher, Captchas: captchas,
		Templates: minsheng.TemplatesFS, Static: minsheng.StaticFS, Logger: logger, SecureCookies: bool(secure),
		PublicURL: *publicURL, KioskIdle: idle, KioskReceipt: receiptTime, PseudoRTL: bool(pseudoRTL),
		Learner: learner, Readiness: readiness})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := *publicURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	// The setup link first: "listening" is the last line before serving, which scripts and
	// tests wait for.
	if err := announceSetup(ctx, store, base, stdout); err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(stdout, "minsheng listening on http://%s (database %s)\n", ln.Addr(), storage.Shown(common.db))

	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    16 << 10,
		// net/http writes client addresses into some of its messages (TLS handshake errors,
		// panics); this logger strips them before anything reaches a log.
		ErrorLog: log.New(redactingWriter{stderr}, "http: ", 0),
	}
	served := make(chan error, 1)
	readiness.Serving()
	go func() { served <- srv.Serve(ln) }()
	// Scheduled work: each job's tick runs in one process at a time, the holder of its lease
	// (lease.go), however many processes serve this database.
	jobs := leases{store: store, holder: newHolder(), log: logger}
	if every > 0 {
		go retrainOnSchedule(ctx, learner, store, every, jobs.lease(leaseRetrain, 3*every), logger)
	}
	go indexNightly(ctx, store, time.After, jobs.lease(leaseIndex, time.Hour), logger)
	go settleDaily(ctx, store, time.After, jobs.lease(leaseSettle, 3*time.Hour), logger)
	go sweepNotifications(ctx, store, time.After, jobs.lease(leaseSweep, 3*notifySweepEvery), logger)
	sender := &notify.Sender{Store: store, BaseURL: base, Log: logger}
	go sendWhileHeld(ctx, jobs.lease(leaseSend, 3*notifySendEvery), notifySendEvery, sender.RunOnce, logger)
	go refillBudgets(ctx, store, jobs.lease(leaseBudgets, 3*handlers.MissRefillEvery))
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	readiness.Stopping()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "minsheng stopped")
	return nil
}

// announceSetup prints a one-time link for creating the first administrator while none exists.
func announceSetup(ctx context.Context, store *storage.Store, base string, stdout io.Writer) error {
	has, err := store.HasAdmin(ctx)
	if err != nil || has {
		return err
	}
	token, err := store.CreateSetupToken(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nNo administrator yet. Open this one-time link to create one (valid until used):\n  %s/admin/setup/%s\n\n", base, token)
	return nil
}

// ipPattern matches IPv4 and bracketed or bare IPv6 addresses, with an optional port.
var ipPattern = regexp.MustCompile(`\[?[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}(%\w+)?\]?(:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`)

// redactingWriter replaces anything that looks like an IP address before writing a log line.
type redactingWriter struct{ w io.Writer }

func (r redactingWriter) Write(p []byte) (int, error) {
	if _, err := r.w.Write(ipPattern.ReplaceAll(p, []byte("[address removed]"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// durationIn parses a flag's duration ("2m", "90s") and checks it lies within [min, max]: a
// kiosk that clears itself every second, or keeps a receipt on screen for an hour, is a typo.
func durationIn(name, value string, min, max time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(value)
	if err != nil {
		return 0, usagef("-%s %q: write a duration such as 90s or 2m", name, value)
	}
	if d < min || d > max {
		return 0, usagef("-%s %s: must be from %s to %s", name, d, min, max)
	}
	return d, nil
}

// retrainOnSchedule retrains the suggestion model every interval until ctx ends: the office's new
// tagging decisions become examples; and the near-duplicate look-up learns from the office's
// grouping decisions (storage.LearnNearDuplicates). A failure is logged and tried again next
// time.
func retrainOnSchedule(ctx context.Context, learner *tagging.Learner, store *storage.Store, every time.Duration, lease jobLease, logger *slog.Logger) {
	defer lease.release()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			if !lease.held(ctx) {
				continue // another process retrains; its switch reaches this one's learner (tagging.Learner.Model)
			}
			if near, err := store.LearnNearDuplicates(ctx); err != nil {
				logger.Error("learn near-duplicates from the office's grouping", "err", err)
			} else {
				logger.Info("learnt near-duplicates from the office's grouping", "same", near.Same, "different", near.Different, "shift", near.Shift)
			}
			out, err := learner.Retrain(ctx, now)
			if err != nil {
				logger.Error("retrain the suggestion model", "err", err)
				continue
			}
			logger.Info("retrained the suggestion model", "switched", out.Switched, "examples", out.Info.Examples,
				"from_office", out.Info.FromOffice, "styles_micro_f1", out.New.StylesMicroF1, "was", out.Old.StylesMicroF1)
		}
	}
}

// indexNightly indexes the day that just ended for the queue's search a few minutes after each
// midnight, until ctx ends (after is time.After; tests pass their own). Today's opinions are
// searched by reading their rows until then. A failure is logged and tried again the next night
// (and at the next start).
func indexNightly(ctx context.Context, store *storage.Store, after func(time.Duration) <-chan time.Time, lease jobLease, logger *slog.Logger) {
	defer lease.release()
	for {
		select {
		case <-ctx.Done():
			return
		case <-after(store.UntilNightlyIndex()):
		}
		if !lease.held(ctx) {
			continue // another process indexes tonight
		}
		if err := store.IndexSearch(ctx, nil); err != nil {
			logger.Error("index the day that ended for search", "err", err)
			continue
		}
		through, _ := store.SearchIndexedThrough(ctx)
		logger.Info("indexed the day that ended for search", "through", through)
	}
}
