package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Site is a place where an opinion box or a poster hangs (意见箱 location): which building,
// floor and ward, and the unit and department it belongs to. Code is short and random and goes
// on the poster's short URL; it names a place, never a person or a device.
type Site struct {
	Code     string
	Name     string // e.g. 门诊大厅意见箱
	Building string
	Floor    string
	Ward     string
	UnitCode string
	UnitName string
	Dept     string
	Active   bool
}

// Place says where the site is: building, floor and ward, as many as are known, e.g.
// "门诊楼 · 1F". Empty when none is.
func (st Site) Place() string {
	var parts []string
	for _, p := range []string{st.Building, st.Floor, st.Ward} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

const siteColumns = `s.code, s.name, s.building, s.floor, s.ward, s.unit_code, u.name, s.dept, s.active
	FROM sites s JOIN units u ON u.code = s.unit_code`

func scanSite(row scanner) (Site, error) {
	var st Site
	err := row.Scan(&st.Code, &st.Name, &st.Building, &st.Floor, &st.Ward, &st.UnitCode, &st.UnitName, &st.Dept, &st.Active)
	return st, err
}

// ActiveSite returns the site with code if it is in use, or ErrNotFound. Poster links and
// kiosks of a retired site fall back to the plain form.
func (s *Store) ActiveSite(ctx context.Context, code string) (Site, error) {
	st, err := scanSite(s.read.QueryRowContext(ctx, `SELECT `+siteColumns+` WHERE s.code = ? AND s.active = 1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, fmt.Errorf("site %q: %w", code, ErrNotFound)
	}
	return st, err
}

// NewSite is a site to register. Handlers validate the text; the CHECK constraints guard it.
type NewSite struct {
	Name, Building, Floor, Ward string
	UnitCode, Dept              string
}

// ErrSiteUnit is the refusal of a site whose unit is unknown, retired or a department (a
// department goes in Dept, under its unit). It wraps ErrNotFound.
var ErrSiteUnit = fmt.Errorf("site's unit unknown, retired or a department: %w", ErrNotFound)

// AddSite registers a site under a fresh random code and returns it, as the system (the
// command line, tests): CreateSite with no staff member. A unit that is not in the public
// form's list is ErrSiteUnit.
func (s *Store) AddSite(ctx context.Context, n NewSite) (Site, error) {
	return s.CreateSite(ctx, 0, n)
}

// CreateSite registers a site under a fresh random code, records who did it, and returns it.
// A unit that is not in the public form's list (unknown, retired, a department) is ErrSiteUnit.
func (s *Store) CreateSite(ctx context.Context, actorID int64, n NewSite) (Site, error) {
	var code string
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		for attempt := 0; ; attempt++ {
			code = newSiteCode()
			res, err := tx.ExecContext(ctx, `
				INSERT INTO sites (code, name, building, floor, ward, unit_code, dept, created_on)
				SELECT ?, ?, ?, ?, ?, code, ?, ? FROM units WHERE code = ? AND active = 1 AND kind != 'dept'`,
				code, n.Name, n.Building, n.Floor, n.Ward, n.Dept, now.Format(dateLayout), n.UnitCode)
			if err == nil {
				if rows, _ := res.RowsAffected(); rows == 0 {
					return fmt.Errorf("unit %q: %w", n.UnitCode, ErrSiteUnit)
				}
				return auditUnit(ctx, tx, now, actorID, "site_add", n.UnitCode, code+" "+n.Name)
			}
			if attempt == 3 || !strings.Contains(err.Error(), "sites.code") {
				return fmt.Errorf("add site: %w", mapError(err))
			}
		}
	})
	if err != nil {
		return Site{}, err
	}
	return s.Site(ctx, code)
}

// newSiteCode returns 6 Crockford base-32 characters: short enough to type from a poster
// (/q/K7M2QX), 30 random bits so that codes cannot be guessed in order.
func newSiteCode() string {
	return newOpinionID()[:6]
}

// NormalSiteCode reads a site code as a person may type it from a poster: any case, and the
// letters Crockford's alphabet leaves out read as the digits they look like (O → 0, I and L → 1).
func NormalSiteCode(typed string) string {
	return strings.Map(func(r rune) rune {
		switch r = unicode.ToUpper(r); r {
		case 'O':
			return '0'
		case 'I', 'L':
			return '1'
		}
		return r
	}, strings.TrimSpace(typed))
}
