package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Contacts are the bureau's published ways to be reached (渠道, feature 13): the complaint,
// report (举报) and supervision phone numbers, the e-mail address, and when the phones are
// answered. Each may be empty (not published).
type Contacts struct {
	ComplaintPhone   string
	ReportPhone      string
	SupervisionPhone string
	Email            string
	Hours            string
}

// Limits of the directory's text, in characters (the CHECKs of migration 0044 agree).
const (
	MaxDirectoryPhone = 30
	MaxDirectoryEmail = 100
	MaxDirectoryHours = 100
	MaxLiaisonPost    = 50
	MaxCommitment     = 200
	MaxCommitments    = 20
)

// UnitDirectory is one unit's entry: the post of its liaison (联络员, never a name) and a phone
// for it, and its service commitments (服务承诺, 限时办结, 首诊负责制…) in order.
type UnitDirectory struct {
	UnitCode     string
	UnitName     string
	LiaisonPost  string
	LiaisonPhone string
	Commitments  []string
}

// Empty reports whether the unit publishes nothing.
func (d UnitDirectory) Empty() bool {
	return d.LiaisonPost == "" && d.LiaisonPhone == "" && len(d.Commitments) == 0
}

// PublicSite is what the public directory shows of a registered box site: its name, unit,
// department and where it hangs; never its code (which is the poster's).
type PublicSite struct {
	Name, UnitName, Dept, Place string
}

// DirectoryContacts returns the published numbers and address.
func (s *Store) DirectoryContacts(ctx context.Context) (Contacts, error) {
	var c Contacts
	err := s.read.QueryRowContext(ctx, `SELECT complaint_phone, report_phone, supervision_phone, email, hours
		FROM directory_contacts WHERE id = 1`).Scan(&c.ComplaintPhone, &c.ReportPhone, &c.SupervisionPhone, &c.Email, &c.Hours)
	if err == sql.ErrNoRows {
		return Contacts{}, nil
	}
	return c, err
}

// SetDirectoryContacts replaces the published numbers and address, audited as "directory".
func (s *Store) SetDirectoryContacts(ctx context.Context, userID int64, c Contacts) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO directory_contacts (id, complaint_phone, report_phone, supervision_phone, email, hours)
			VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET complaint_phone = excluded.complaint_phone,
			report_phone = excluded.report_phone, supervision_phone = excluded.supervision_phone,
			email = excluded.email, hours = excluded.hours`,
			c.ComplaintPhone, c.ReportPhone, c.SupervisionPhone, c.Email, c.Hours)
		if err != nil {
			return fmt.Errorf("set directory contacts: %w", mapError(err))
		}
		return audit(ctx, tx, now, userID, "directory", "", "contacts")
	})
}

// UnitDirectories returns the entry of every active unit, in the unit tree's order; a unit
// that publishes nothing has an empty entry.
func (s *Store) UnitDirectories(ctx context.Context) ([]UnitDirectory, error) {
	list, err := collect(ctx, s.read, func(rows *sql.Rows) (UnitDirectory, error) {
		var d UnitDirectory
		err := rows.Scan(&d.UnitCode, &d.UnitName, &d.LiaisonPost, &d.LiaisonPhone)
		return d, err
	}, `SELECT u.code, u.name, COALESCE(d.liaison_post, ''), COALESCE(d.liaison_phone, '')
		FROM units u LEFT JOIN unit_directory d ON d.unit_code = u.code
		WHERE u.active = 1 ORDER BY u.sort_order, u.name, u.code`)
	if err != nil {
		return nil, err
	}
	type item struct{ unit, text string }
	items, err := collect(ctx, s.read, func(rows *sql.Rows) (item, error) {
		var it item
		err := rows.Scan(&it.unit, &it.text)
		return it, err
	}, `SELECT unit_code, text FROM unit_commitments ORDER BY unit_code, position`)
	if err != nil {
		return nil, err
	}
	byUnit := map[string][]string{}
	for _, it := range items {
		byUnit[it.unit] = append(byUnit[it.unit], it.text)
	}
	for i := range list {
		list[i].Commitments = byUnit[list[i].UnitCode]
	}
	return list, nil
}

// SetUnitDirectory replaces a unit's liaison post and phone and its commitments, in one
// transaction, audited as "directory". An unknown or retired unit is ErrNotFound; more than
// MaxCommitments items, or an empty one, is ErrInvalid.
func (s *Store) SetUnitDirectory(ctx context.Context, userID int64, d UnitDirectory) error {
	if len(d.Commitments) > MaxCommitments {
		return fmt.Errorf("%d commitments, at most %d: %w", len(d.Commitments), MaxCommitments, ErrInvalid)
	}
	for _, c := range d.Commitments {
		if strings.TrimSpace(c) == "" {
			return fmt.Errorf("empty commitment: %w", ErrInvalid)
		}
	}
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO unit_directory (unit_code, liaison_post, liaison_phone)
			SELECT code, ?, ? FROM units WHERE code = ? AND active = 1
			ON CONFLICT (unit_code) DO UPDATE SET liaison_post = excluded.liaison_post, liaison_phone = excluded.liaison_phone`,
			d.LiaisonPost, d.LiaisonPhone, d.UnitCode)
		if err != nil {
			return fmt.Errorf("set unit directory: %w", mapError(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("unit %q: %w", d.UnitCode, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM unit_commitments WHERE unit_code = ?`, d.UnitCode); err != nil {
			return err
		}
		for i, c := range d.Commitments {
			if _, err := tx.ExecContext(ctx, `INSERT INTO unit_commitments (unit_code, position, text) VALUES (?, ?, ?)`,
				d.UnitCode, i+1, c); err != nil {
				return fmt.Errorf("commitment %d: %w", i+1, mapError(err))
			}
		}
		return audit(ctx, tx, now, userID, "directory", "", "unit "+d.UnitCode)
	})
}

// PublicSites lists the active box sites as the public directory shows them, in the unit
// tree's order.
func (s *Store) PublicSites(ctx context.Context) ([]PublicSite, error) {
	return collect(ctx, s.read, func(rows *sql.Rows) (PublicSite, error) {
		var st Site
		err := rows.Scan(&st.Name, &st.UnitName, &st.Dept, &st.Building, &st.Floor, &st.Ward)
		return PublicSite{Name: st.Name, UnitName: st.UnitName, Dept: st.Dept, Place: st.Place()}, err
	}, `SELECT s.name, u.name, s.dept, s.building, s.floor, s.ward FROM sites s JOIN units u ON u.code = s.unit_code
		WHERE s.active = 1 AND u.active = 1 ORDER BY u.sort_order, u.name, s.name, s.code`)
}
