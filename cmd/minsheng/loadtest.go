package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"minsheng/loadgen"
	"minsheng/receipt"
	"minsheng/storage"
)

// loadtest handles "minsheng loadtest": drive the real submission flow against a running
// portal on this machine for a bounded time, then check that every acknowledged opinion is in
// its database. The portal must run with -captcha=off.
func loadtest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("loadtest", getenv, stderr)
	target := fs.String("url", "http://127.0.0.1:8080", "portal to load (loopback only)")
	clients := fs.Int("clients", 16, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long to keep submitting (at most 10m)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*target); err != nil {
		return err
	}
	if *duration <= 0 || *duration > 10*time.Minute || *clients < 1 || *clients > 1000 {
		return usagef("loadtest: -duration must be more than 0s and at most 10m, and -clients from 1 to 1000")
	}
	fmt.Fprintf(stdout, "loading %s with %d clients for %s…\n", *target, *clients, *duration)
	res := loadgen.Run(ctx, loadgen.Config{BaseURL: *target, Clients: *clients, Duration: *duration})
	fmt.Fprintln(stdout, res.Summary())

	lost, err := verifyAcks(ctx, *common, res.Acks)
	if err != nil {
		return fmt.Errorf("loadtest: verify: %w", err)
	}
	fmt.Fprintf(stdout, "verified in %s: %d acknowledged, lost = %d\n", common.db, len(res.Acks), lost)
	switch {
	case lost > 0:
		return fmt.Errorf("loadtest: %d acknowledged submissions are missing", lost)
	case res.Class(5) > res.Status[503]:
		return fmt.Errorf("loadtest: %d server errors other than 503", res.Class(5)-res.Status[503])
	case len(res.Acks) == 0:
		return errors.New("loadtest: nothing was acknowledged (is the portal running with -captcha=off?)")
	}
	return nil
}

// verifyAcks counts the acknowledged submissions that are not in the database with the text
// that was sent.
func verifyAcks(ctx context.Context, common commonFlags, acks []loadgen.Ack) (int, error) {
	key, err := loadKey(common.keyPath())
	if err != nil {
		return 0, err
	}
	hasher, err := receipt.NewHasher(key)
	if err != nil {
		return 0, err
	}
	store, err := storage.Open(ctx, common.db, storage.Options{})
	if err != nil {
		return 0, err
	}
	defer store.Close()
	return countLost(ctx, store, hasher, acks)
}

// countLost checks each acknowledgement against the store.
func countLost(ctx context.Context, store *storage.Store, hasher *receipt.Hasher, acks []loadgen.Ack) (int, error) {
	lost := 0
	for _, a := range acks {
		code, err := receipt.Parse(a.Receipt)
		if err != nil {
			return 0, fmt.Errorf("portal showed a malformed receipt %q", a.Receipt)
		}
		o, err := store.OpinionByReceipt(ctx, hasher.Hash(code))
		if errors.Is(err, storage.ErrNotFound) || (err == nil && o.Content != a.Content) {
			lost++
			continue
		}
		if err != nil {
			return 0, err
		}
	}
	return lost, nil
}

// checkLoopback refuses any target but this machine: load is only ever sent to loopback.
func checkLoopback(target string) error {
	u, err := url.Parse(target)
	if err != nil || u.Hostname() == "" {
		return usagef("loadtest: -url %q is not an address such as http://127.0.0.1:8080", target)
	}
	switch u.Hostname() {
	case "localhost", "::1":
		return nil
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
		return nil
	}
	return usagef("loadtest: %s is not a loopback address; load tests only run against this machine (-url http://127.0.0.1:PORT)", u.Hostname())
}
