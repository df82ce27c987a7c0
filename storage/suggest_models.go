package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// StoredModel is one suggestion model as kept: its encoding (package suggest) and its
// description as JSON, which storage does not read.
type StoredModel struct {
	ID        int64
	CreatedAt time.Time
	Model     []byte
	Info      string
	Active    bool
}

// SaveModel keeps a newly trained model; when activate is set it becomes the one in use, and
// the one before it stays, inactive, so an administrator can see what changed. Models beyond
// the newest keep are deleted (with the active one always kept).
func (s *Store) SaveModel(ctx context.Context, model []byte, info string, activate bool, keep int) (int64, error) {
	var id int64
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if activate {
			if _, err := tx.ExecContext(ctx, `UPDATE suggest_models SET active = 0 WHERE active = 1`); err != nil {
				return err
			}
			if err := bump(ctx, tx, GenModel); err != nil { // other processes read it within GenerationsEvery
				return err
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO suggest_models (created_at, model, info, active) VALUES (?, ?, ?, ?) RETURNING id`,
			now.UTC().Format(timeLayout), model, info, activate).Scan(&id)
		if err != nil {
			return fmt.Errorf("save model: %w", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM suggest_models WHERE active = 0 AND id NOT IN
			(SELECT id FROM suggest_models ORDER BY id DESC LIMIT ?)`, keep)
		return err
	})
	return id, err
}

// ActiveModel returns the model in use, or ErrNotFound when the portal still uses the model it
// ships with.
func (s *Store) ActiveModel(ctx context.Context) (StoredModel, error) {
	ms, err := s.models(ctx, `WHERE active = 1`, true)
	if err != nil {
		return StoredModel{}, err
	}
	if len(ms) == 0 {
		return StoredModel{}, fmt.Errorf("active model: %w", ErrNotFound)
	}
	return ms[0], nil
}

// Models lists the kept models, newest first, without their encodings.
func (s *Store) Models(ctx context.Context) ([]StoredModel, error) {
	return s.models(ctx, `ORDER BY id DESC`, false)
}

func (s *Store) models(ctx context.Context, tail string, withModel bool) ([]StoredModel, error) {
	cols := `id, created_at, info, active, x''`
	if withModel {
		cols = `id, created_at, info, active, model`
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+cols+` FROM suggest_models `+tail)
	if err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	defer rows.Close()
	var out []StoredModel
	for rows.Next() {
		var m StoredModel
		var created string
		if err := rows.Scan(&m.ID, &created, &m.Info, &m.Active, &m.Model); err != nil {
			return nil, err
		}
		m.CreatedAt, _ = time.Parse(timeLayout, created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Decision is one opinion as the office sorted it: its text and every style and tag a
// reviewer left on it (none is a decision too). It is what the suggestion model learns from.
type Decision struct {
	ID     string
	Text   string
	Styles []string
	Tags   []string
}

// Decisions returns the newest limit opinions a reviewer has sorted: those past 待梳理
// (received), except duplicates (merged into another, which carries the tags) and 举报 (the
// office does not read them: 纪检 does, and their words stay out of any model). Newest first.
func (s *Store) Decisions(ctx context.Context, limit int) ([]Decision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT o.id, o.content,
		COALESCE((SELECT group_concat(style) FROM opinion_styles WHERE opinion_id = o.id), ''),
		COALESCE((SELECT group_concat(tag) FROM opinion_tags WHERE opinion_id = o.id), '')
		FROM opinions o WHERE o.status NOT IN ('received', 'duplicate') AND o.type != 'report'
		ORDER BY o.created_on DESC, o.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var styles, tags string
		if err := rows.Scan(&d.ID, &d.Text, &styles, &tags); err != nil {
			return nil, err
		}
		d.Styles = orderStyles(styles)
		if tags != "" {
			d.Tags = strings.Split(tags, ",")
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ErrSchemaOld is returned by ReadSuggestSetup for a database whose schema this program would
// upgrade: a read-only look cannot, so the portal must be run once first.
var ErrSchemaOld = errors.New("storage: the database needs upgrading: run the portal once first")

// ReadSuggestSetup reads, without writing anything, what suggesting for the portal at path
// needs: its active model (ErrNotFound inside the first result's error when it has none) and
// its taxonomy. The file is opened read-only and must exist with this program's schema.
func ReadSuggestSetup(ctx context.Context, path string) (StoredModel, []Tag, error) {
	if _, err := os.Stat(path); err != nil {
		return StoredModel{}, nil, fmt.Errorf("open %s: %w", path, err)
	}
	db, err := openReadPool(path, DefaultBusyTimeout)
	if err != nil {
		return StoredModel{}, nil, err
	}
	defer db.Close()
	applied, err := appliedMigrations(ctx, db)
	if err != nil {
		return StoredModel{}, nil, err
	}
	names, err := migrations()
	if err != nil {
		return StoredModel{}, nil, err
	}
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
		if !applied[n] {
			return StoredModel{}, nil, fmt.Errorf("%s: %w (it lacks migration %s)", path, ErrSchemaOld, n)
		}
	}
	for n := range applied {
		if !known[n] {
			return StoredModel{}, nil, fmt.Errorf("%w: it has migration %s", ErrSchemaTooNew, n)
		}
	}
	s := &Store{read: db}
	tags, err := s.Tags(ctx)
	if err != nil {
		return StoredModel{}, nil, err
	}
	m, err := s.ActiveModel(ctx)
	return m, tags, err
}

// SeededTags returns the taxonomy a new database starts with, from a database in memory that
// exists only for this call: what the starting model is shown with when no database is named.
func SeededTags(ctx context.Context) ([]Tag, error) {
	db, err := sql.Open("sqlite3", "file::memory:?_foreign_keys=on")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: each in-memory connection is a database of its own
	if err := migrate(ctx, db); err != nil {
		return nil, err
	}
	return (&Store{read: db}).Tags(ctx)
}
