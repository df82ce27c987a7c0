package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/period"
	"minsheng/report"
	"minsheng/stats"
	"minsheng/storage"
)

// reportFormats are the files "minsheng report" writes, by -format.
var reportFormats = map[string]func(io.Writer, *report.Report, *locale.Printer) error{
	"html": report.WriteHTML,
	"docx": report.WriteDOCX,
	"xlsx": report.WriteXLSX,
}

// reportCommand handles "minsheng report": the drafted report of a period (or, with -campaign,
// of a campaign or one of its phases) as a file, for
// scripts and scheduled runs. It counts as the office does (a reviewer's scope: everything but
// 举报); -discipline writes 纪检's version, which adds the 举报 figures. The narrative and
// cases staff saved for the same report are used when there are some. It never overwrites a
// file: the report of a period is written once, and a rerun must name a new file.
func reportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, common := newFlagSet("report", getenv, stderr)
	spell := fs.String("period", "", "the period: 2026-12, 2026-Q4, 2026-H2, 2026 or 2026-11-01..2026-12-15")
	campaignID := fs.Int64("campaign", 0, "a campaign's id: its report in place of a period's, compared with the previous campaign")
	phase := fs.Int("phase", 0, "with -campaign: one phase's number (1, 2, …); 0: the whole campaign")
	unit := fs.String("unit", "", "a unit's code: its report (with the units under it); empty: the whole system")
	kind := fs.String("kind", report.Summary, "summary, opinions (the consultation report), frugality (the eight-point rules extract) or evaluation (the public evaluation report)")
	format := fs.String("format", "", "html, docx or xlsx; empty: from the extension of -o")
	out := fs.String("o", "", "file to write (must not exist)")
	lang := fs.String("lang", locale.Default, "language of the report: zh-CN, zh-Hant or en")
	var discipline onOff
	fs.Var(&discipline, "discipline", "on: the discipline inspectors' version, with the figures of misconduct reports (keep it with them)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var pd period.Period
	switch {
	case *campaignID != 0 && *spell != "":
		return usagef("report: -campaign and -period: name one of them (a campaign report's period is the campaign's)")
	case *campaignID < 0 || *phase < 0 || *phase != 0 && *campaignID == 0:
		return usagef("report: -campaign %d -phase %d: want a campaign's id, and a phase's number with it", *campaignID, *phase)
	case *campaignID == 0:
		var err error
		if pd, err = period.Parse(*spell); err != nil {
			return usagef("report: -period %q: %v", *spell, err)
		}
	}
	if !report.ValidKind(*kind) {
		return usagef("report: -kind %q: want one of %s", *kind, strings.Join(report.Kinds, ", "))
	}
	if *out == "" {
		return usagef("report: write -o FILE: the file to write the report to (it must not exist yet)")
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	}
	write, ok := reportFormats[*format]
	if !ok {
		return usagef("report: -format %q: want html, docx or xlsx", *format)
	}
	if !locale.Known(*lang) {
		return usagef("report: -lang %q: want zh-CN, zh-Hant or en", *lang)
	}
	p := locale.Get(*lang)

	store, err := storage.Open(ctx, common.db, storage.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	if *unit != "" {
		if err := knownUnit(ctx, store, *unit); err != nil {
			return err
		}
	}
	viewer := access.Viewer{Role: access.Reviewer, Today: store.Today()}
	if discipline {
		viewer.Role = access.Discipline
	}
	r, err := draftFor(ctx, store, stats.Query{Period: pd, Unit: *unit, Viewer: viewer, Today: store.Today(), Printer: p}, *campaignID, *phase, *kind)
	if err != nil {
		return err
	}
	saved, err := report.ApplySaved(ctx, store, r)
	if err != nil {
		return err
	}
	if err := writeNew(*out, func(w io.Writer) error { return write(w, r, p) }); err != nil {
		return err
	}
	what := r.Period.String()
	if r.Campaign != nil {
		what = fmt.Sprintf("campaign %d (%s)", r.Campaign.ID, r.Title)
	}
	fmt.Fprintf(stdout, "wrote the %s report of %s to %s\n", *kind, what, *out)
	if saved {
		fmt.Fprintln(stdout, "with the narrative and cases staff saved for it")
	}
	return nil
}

// draftFor drafts the report of q's period, or of campaign id (phase: one of its phases) when
// id is not 0; a campaign or phase the database does not hold is a usage error.
func draftFor(ctx context.Context, store *storage.Store, q stats.Query, id int64, phase int, kind string) (*report.Report, error) {
	if id == 0 {
		return report.Draft(ctx, store, q, kind, q.Printer)
	}
	all, err := store.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	r, err := report.DraftCampaign(ctx, store, report.CampaignQuery{All: all, ID: id, Phase: phase, Unit: q.Unit, Viewer: q.Viewer, Printer: q.Printer}, kind)
	if errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrInvalid) {
		return nil, usagef("report: -campaign %d -phase %d: no such campaign or phase", id, phase)
	}
	return r, err
}

// knownUnit refuses a unit code the database does not hold, so that a typo is not a report of
// nothing.
func knownUnit(ctx context.Context, store *storage.Store, code string) error {
	units, err := store.AllUnits(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.Code == code {
			return nil
		}
	}
	return usagef("report: -unit %q: no unit has that code", code)
}

// writeNew creates path, which must not exist (O_EXCL: not even a file made a moment ago by
// another run), and writes it with fill; a file left half written is removed.
func writeNew(path string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("report: %s exists: it is not overwritten; name a new file", path)
	}
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
