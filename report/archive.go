package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"minsheng/locale"
	"minsheng/storage"
)

// key is the storage name of r: kind, period spelling, unit, version. A campaign report's period
// names its campaign and phase too (2027-03-07..2027-03-31@campaign:3:1), so that it never
// shares a key with the report of the same dates by period.
func key(r *Report) storage.ReportKey {
	pd := r.Period.String()
	if r.Campaign != nil {
		pd += "@campaign:" + strconv.FormatInt(r.Campaign.ID, 10) + ":" + strconv.Itoa(r.Campaign.Phase)
	}
	return storage.ReportKey{Kind: r.Kind, Period: pd, Unit: r.Unit.Code, Discipline: r.Discipline}
}

func issue(ctx context.Context, st *storage.Store, userID int64, r *Report, replaces string) (*Report, error) {
	if r.Issued() {
		return nil, fmt.Errorf("report %s: already issued", r.Number)
	}
	frozen := *r
	frozen.Cases = append([]Case{}, r.Cases...)
	if frozen.Cases == nil {
		frozen.Cases = []Case{}
	}
	frozen.Replaces = replaces
	lang := r.Lang
	if !locale.Known(lang) {
		lang = locale.Default
	}
	frozen.Frozen = sections(&frozen, locale.Get(lang))
	if frozen.Frozen == nil {
		frozen.Frozen = []Section{}
	}
	row, err := st.IssueReport(ctx, userID, key(r), r.Title, replaces, func(number, issuedOn, issuedBy string) ([]byte, error) {
		frozen.Number, frozen.IssuedOn, frozen.IssuedBy = number, issuedOn, issuedBy
		return frozen.Canonical()
	})
	if err != nil {
		return nil, err
	}
	frozen.SHA256 = row.SHA256
	return &frozen, nil
}

func load(ctx context.Context, st *storage.Store, number string) (*Report, error) {
	row, err := st.IssuedReport(ctx, number)
	if errors.Is(err, storage.ErrReportTampered) {
		return nil, fmt.Errorf("%w: %v", ErrTampered, err)
	}
	if err != nil {
		return nil, err
	}
	// Storage checked the bytes; checking again here keeps the promise in this package too.
	if Sum(row.Body) != row.SHA256 {
		return nil, ErrTampered
	}
	var r Report
	if err := json.Unmarshal(row.Body, &r); err != nil {
		return nil, fmt.Errorf("issued report %s: %w", number, err)
	}
	r.SHA256 = row.SHA256
	return &r, nil
}

// edits is what a saved draft keeps: what staff write, never the figures.
type edits struct {
	Title     string    `json:"title"`
	Narrative Narrative `json:"narrative"`
	Cases     []Case    `json:"cases"`
}

func saveDraft(ctx context.Context, st *storage.Store, userID int64, r *Report) error {
	if r.Issued() {
		return fmt.Errorf("report %s: issued reports are not drafts", r.Number)
	}
	b, err := json.Marshal(edits{Title: r.Title, Narrative: r.Narrative, Cases: r.Cases})
	if err != nil {
		return err
	}
	return st.SaveReportDraft(ctx, userID, key(r), b)
}

func applySaved(ctx context.Context, st *storage.Store, r *Report) (bool, error) {
	b, _, _, err := st.ReportDraft(ctx, key(r))
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var e edits
	if err := json.Unmarshal(b, &e); err != nil {
		return false, fmt.Errorf("saved draft: %w", err)
	}
	if e.Title != "" {
		r.Title = e.Title
	}
	r.Narrative, r.Cases = e.Narrative, e.Cases
	return true, nil
}
