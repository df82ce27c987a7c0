package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"minsheng/access"
	"minsheng/storage"
)

// userCommand handles "minsheng user SUBCOMMAND".
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch {
	case sub == "add":
		return userAdd(ctx, args[1:], getenv, stdin, stdout, stderr)
	case sub == "unlock":
		return userUnlock(ctx, args[1:], getenv, stdout, stderr)
	case isHelpFlag(sub):
		return helpShown{commandList("user ")}
	case sub == "":
		return usagef("user: write what to do, as in \"minsheng user add\".\n%s", strings.TrimSpace(commandList("user ")))
	default:
		return usagef("user: unknown subcommand %q.\n%s", sub, strings.TrimSpace(commandList("user ")))
	}
}

// userAdd handles "minsheng user add -username NAME -role ROLE [-unit CODE [-dept NAME] | -units CODE,CODE]".
// The password is read from the first line of standard input, so it never appears in a
// process list or a shell history.
func userAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("user add", getenv, stderr)
	username := fs.String("username", "", "login name (required)")
	role := fs.String("role", storage.RoleReviewer, "one of: "+roleList())
	unit := fs.String("unit", "", "the unit code of a liaison, unit head or department head (required for those roles)")
	dept := fs.String("dept", "", "a department head's department name, as opinions write it (required for -role dept_head)")
	units := fs.String("units", "", "a leader's linked unit codes (联系点) or a citizen supervisor's units, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	linked := splitCodes(*units)
	if err := checkUserFlags(*username, *role, *unit, *dept, linked); err != nil {
		return err
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
	if err := checkUnits(ctx, store, *role, *unit, linked); err != nil {
		return err
	}
	u, err := store.CreateScopedUser(ctx, 0, storage.NewUser{Username: *username, Password: password, Role: *role,
		Unit: *unit, Dept: strings.TrimSpace(*dept), Linked: linked})
	if errors.Is(err, storage.ErrConflict) {
		return fmt.Errorf("user add: the username %q is taken; choose another", *username)
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

// checkUserFlags refuses, before the password is read or the database opened, what no
// database could make right: each message says which flag to write.
func checkUserFlags(username, role, unit, dept string, linked []string) error {
	switch {
	case strings.TrimSpace(username) == "":
		return usagef("user add: write -username NAME (the login name, 1 to 40 characters)")
	case !access.ValidRole(role):
		return usagef("user add: unknown role %q. The roles are: %s", role, roleList())
	case !access.HasUnit(role) && unit != "":
		return usagef("user add: only a liaison, unit head or department head has a -unit; a leader's or citizen supervisor's units go in -units CODE,CODE")
	case !access.HasLinks(role) && len(linked) > 0:
		return usagef("user add: only a leader or a citizen supervisor (-role leader, -role monitor) has units (-units)")
	case (role == access.DeptHead) != (strings.TrimSpace(dept) != ""):
		return usagef("user add: a department head (-role dept_head) needs -dept NAME, and only they have one")
	}
	return nil
}

// checkUnits asks a liaison for a unit and refuses codes the database does not know, naming
// the ones it does (the storage layer would only say "FOREIGN KEY constraint failed").
func checkUnits(ctx context.Context, store *storage.Store, role, unit string, linked []string) error {
	known, err := store.Units(ctx)
	if err != nil {
		return err
	}
	if access.HasUnit(role) && unit == "" {
		return usagef("user add: a %s belongs to one unit: add -unit CODE. The units are: %s", role, unitList(known))
	}
	for _, code := range append([]string{unit}, linked...) {
		if code != "" && !slices.ContainsFunc(known, func(u storage.Unit) bool { return u.Code == code }) {
			return usagef("user add: there is no unit %q. The units are: %s", code, unitList(known))
		}
	}
	return nil
}

// roleList is every role with its Chinese name: "admin (管理员), reviewer (活动办审核员), …".
func roleList() string {
	parts := make([]string, 0, len(access.Roles))
	for _, r := range access.Roles {
		parts = append(parts, r.Code+" ("+r.Label+")")
	}
	return strings.Join(parts, ", ")
}

// unitList is every unit's code with its name.
func unitList(units []storage.Unit) string {
	parts := make([]string, 0, len(units))
	for _, u := range units {
		parts = append(parts, u.Code+" ("+u.Name+")")
	}
	return strings.Join(parts, ", ")
}

// splitCodes splits "bureau, tcm-hospital" into codes, dropping empty ones.
func splitCodes(s string) []string {
	var codes []string
	for _, code := range strings.Split(s, ",") {
		if code = strings.TrimSpace(code); code != "" {
			codes = append(codes, code)
		}
	}
	return codes
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
	if *username == "" {
		return usagef("user unlock: write -username NAME (the account whose failed logins to forget)")
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
