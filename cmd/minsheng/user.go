package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"minsheng/storage"
)

// userCommand handles "minsheng user add -username NAME -role admin|reviewer". The password
// is read from the first line of standard input, so it never appears in a process list or a
// shell history.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: minsheng user add -username NAME -role ROLE [-unit CODE] [-units CODE,CODE]  (password on standard input)")
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
