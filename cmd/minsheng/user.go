package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"minsheng/storage"
)

// userCommand handles "minsheng user add -username NAME -role admin|reviewer". The password
// is read from the first line of standard input, so it never appears in a process list or a
// shell history. "minsheng user unlock -username NAME" is userUnlock.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "unlock" {
		return userUnlock(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: minsheng user add -username NAME -role ROLE [-unit CODE] [-units CODE,CODE]  (password on standard input)\n" +
			"       minsheng user unlock -username NAME")
	}
	fs, common := newFlagSet("user add", getenv, stderr)
	username := fs.String("username", "", "login name")
	role := fs.String("role", storage.RoleReviewer, "admin, reviewer, liaison, leader, supervisor or discipline")
	unit := fs.String("unit", "", "a liaison's unit code")
	units := fs.String("units", "", "a leader's linked unit codes (联系点), comma-separated")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *username == "" {
		return errors.New("user add: -username is required")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if err := storage.CheckPassword(password); err != nil {
		return fmt.Errorf("user add: the password (first line of standard input) must be %d to 72 characters", storage.MinPasswordLength)
	}
	store, err := storage.Open(ctx, common.db, storage.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	var linked []string
	for _, code := range strings.Split(*units, ",") {
		if code = strings.TrimSpace(code); code != "" {
			linked = append(linked, code)
		}
	}
	u, err := store.CreateScopedUser(ctx, 0, storage.NewUser{Username: *username, Password: password, Role: *role,
		Unit: *unit, Linked: linked})
	if errors.Is(err, storage.ErrConflict) {
		return fmt.Errorf("user add: the username %q is taken", *username)
	}
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(stdout, "added %s (%s)\n", u.Username, u.Role)
	if u.Unit != "" || len(u.Linked) > 0 {
		fmt.Fprintf(stdout, "unit: %s%s\n", u.Unit, strings.Join(u.Linked, ", "))
	}
	return nil
}

// userUnlock handles "minsheng user unlock -username NAME": it forgets the failed logins
// recorded for that account, so its owner logs in with the password alone again, without the
// captcha or any wait. It is audited.
func userUnlock(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("user unlock", getenv, stderr)
	username := fs.String("username", "", "login name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user unlock: unexpected argument %q", fs.Arg(0))
	}
	if *username == "" {
		return errors.New("user unlock: -username is required")
	}
	// Failures are kept under a hash keyed with the server's key file, so this must read the
	// same one; loadKey would quietly make a new key where none exists, and nothing would match.
	keyPath := common.keyPath()
	if _, err := os.Stat(keyPath); err != nil {
		return fmt.Errorf("user unlock: no key file at %s: give the -key-file (or MINSHENG_KEY_FILE) the server runs with", keyPath)
	}
	key, err := loadKey(keyPath)
	if err != nil {
		return fmt.Errorf("user unlock: %w", err)
	}
	store, err := storage.Open(ctx, common.db, storage.Options{LoginKey: key})
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.UnlockLogin(ctx, 0, *username)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("user unlock: there is no account named %q in %s", *username, common.db)
	}
	if err != nil {
		return fmt.Errorf("user unlock: %w", err)
	}
	if n == 0 {
		fmt.Fprintf(stdout, "%s had no failed logins on record; nothing to unlock\n", *username)
		return nil
	}
	fmt.Fprintf(stdout, "unlocked %s: %d failed logins forgotten; the next login needs only the password\n", *username, n)
	return nil
}
