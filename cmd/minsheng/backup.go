package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"minsheng/storage"
)

// backup handles "minsheng backup -o FILE": a consistent copy of the database, safe to take
// while the portal serves.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("backup", getenv, stderr)
	out := fs.String("o", "", "file to write the backup to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("backup: write -o FILE: the file to copy the database to (it must not exist yet)")
	}
	store, err := storage.Open(ctx, common.db, storage.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", common.db, *out)
	fmt.Fprintf(stdout, "Keep the key file %s with it: without the key no receipt code can be looked up.\n", common.keyPath())
	fmt.Fprintln(stdout, "The backup holds every opinion: store it encrypted, where only the office can read it.")
	return nil
}

// restore handles "minsheng restore -i FILE": replace the database with a backup. Stop the
// portal first. The replaced database is kept beside it.
func restore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("restore", getenv, stderr)
	in := fs.String("i", "", "backup file to restore from")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return usagef("restore: write -i FILE: the backup to put in place of the database")
	}
	kept, err := storage.Restore(ctx, *in, common.db, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", common.db, *in)
	if kept != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", kept)
	}
	return nil
}
