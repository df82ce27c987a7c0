package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SiteSummary is a site as the administrator's list shows it: retired ones too, with the day it
// was registered and how many opinions came from it.
type SiteSummary struct {
	Site
	CreatedOn string // YYYY-MM-DD, China time
	// Opinions counts the opinions sent from the site's poster or taken from its box. 举报 are
	// left out: the administrator cannot see them (scopeSQL), and a count by place would say
	// where one was written.
	Opinions int
}

// Site returns the site with code, active or retired (for the admin pages), or ErrNotFound.
func (s *Store) Site(ctx context.Context, code string) (Site, error) {
	st, err := scanSite(s.read.QueryRowContext(ctx, `SELECT `+siteColumns+` WHERE s.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, fmt.Errorf("site %q: %w", code, ErrNotFound)
	}
	return st, err
}

// Sites lists every site, active first, then by unit (in the public form's order) and name,
// each with its count of opinions (举报 and letters to the discipline mailbox left out: a count
// per place could point to where one was written).
func (s *Store) Sites(ctx context.Context) ([]SiteSummary, error) {
	sites, err := collect(ctx, s.read, func(rows *sql.Rows) (SiteSummary, error) {
		var st SiteSummary
		err := rows.Scan(&st.Code, &st.Name, &st.Building, &st.Floor, &st.Ward, &st.UnitCode, &st.UnitName,
			&st.Dept, &st.Active, &st.CreatedOn, &st.Opinions)
		return st, err
	}, `SELECT s.code, s.name, s.building, s.floor, s.ward, s.unit_code, u.name, s.dept, s.active,
			s.created_on, COALESCE(c.n, 0)
		FROM sites s JOIN units u ON u.code = s.unit_code
		LEFT JOIN (SELECT o.site_code, count(*) AS n FROM opinions o
		           WHERE o.site_code != '' AND o.type != 'report' AND (o.mailbox_code = '' OR `+ordinaryMailboxSQL+`)
		           GROUP BY o.site_code) c ON c.site_code = s.code
		ORDER BY s.active DESC, u.sort_order, u.name, s.name, s.code`)
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	return sites, nil
}

// UpdateSite changes a site's name, place, unit and department; its code, and so every printed
// poster, stays. An unknown code is ErrNotFound, a unit not in the public form's list
// ErrSiteUnit. Saving what is already stored records nothing.
func (s *Store) UpdateSite(ctx context.Context, actorID int64, code string, n NewSite) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		old, err := siteInTx(ctx, tx, code)
		if err != nil {
			return err
		}
		if old.Name == n.Name && old.Building == n.Building && old.Floor == n.Floor && old.Ward == n.Ward &&
			old.UnitCode == n.UnitCode && old.Dept == n.Dept {
			return nil
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE sites SET name = ?, building = ?, floor = ?, ward = ?, dept = ?, unit_code = ?
			WHERE code = ? AND EXISTS (SELECT 1 FROM units WHERE code = ? AND active = 1 AND kind != 'dept')`,
			n.Name, n.Building, n.Floor, n.Ward, n.Dept, n.UnitCode, code, n.UnitCode)
		if err != nil {
			return fmt.Errorf("update site %q: %w", code, mapError(err))
		}
		if rows, _ := res.RowsAffected(); rows == 0 {
			return fmt.Errorf("site %q, unit %q: %w", code, n.UnitCode, ErrSiteUnit)
		}
		return auditUnit(ctx, tx, now, actorID, "site_edit", n.UnitCode, code+" "+n.Name)
	})
}

// SetSiteActive retires (active false) or restores a site. A retired site's poster still works:
// /q/CODE then opens the plain form. Its opinions keep their site. Setting the state it already
// has records nothing; an unknown code is ErrNotFound.
func (s *Store) SetSiteActive(ctx context.Context, actorID int64, code string, active bool) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		old, err := siteInTx(ctx, tx, code)
		if err != nil || old.Active == active {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET active = ? WHERE code = ?`, active, code); err != nil {
			return fmt.Errorf("set site %q active: %w", code, err)
		}
		action := "site_retire"
		if active {
			action = "site_restore"
		}
		return auditUnit(ctx, tx, now, actorID, action, old.UnitCode, code+" "+old.Name)
	})
}

// siteInTx reads a site inside a write, or ErrNotFound.
func siteInTx(ctx context.Context, tx *sql.Tx, code string) (Site, error) {
	st, err := scanSite(tx.QueryRowContext(ctx, `SELECT `+siteColumns+` WHERE s.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, fmt.Errorf("site %q: %w", code, ErrNotFound)
	}
	return st, err
}
