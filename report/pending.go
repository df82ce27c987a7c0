package report

import (
	"context"
	"errors"
	"io"

	"minsheng/locale"
	"minsheng/stats"
	"minsheng/storage"
)

// errPending: drafting and sections wait for stats.Compare (branch i12-stats); this file goes
// when it lands. Only the API is fixed by this commit.
var errPending = errors.New("report: drafting waits for stats.Compare")

func draft(ctx context.Context, st *storage.Store, q stats.Query, kind string, p *locale.Printer) (*Report, error) {
	return nil, errPending
}

func sections(r *Report, p *locale.Printer) []Section { return nil }

func writeDOCX(w io.Writer, r *Report, p *locale.Printer) error { return errPending }
func writeXLSX(w io.Writer, r *Report, p *locale.Printer) error { return errPending }
func writeHTML(w io.Writer, r *Report, p *locale.Printer) error { return errPending }
