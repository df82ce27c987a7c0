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
		return errors.New("usage: minsheng user add -username NAME -role admin|reviewer  (password on standard input)")
	}
	fs, common := newFlagSet("user add", getenv, stderr)
	username := fs.String("username", "", "login name")
	role := fs.String("role", storage.RoleReviewer, "admin or reviewer")
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
	u, err := store.CreateUser(ctx, 0, *username, password, *role)
	if errors.Is(err, storage.ErrConflict) {
		return fmt.Errorf("user add: the username %q is taken", *username)
	}
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(stdout, "added %s (%s)\n", u.Username, u.Role)
	return nil
}
