package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"minsheng/lifecycle"
	"minsheng/vocab"
)

// Kinds of unit. The codes are stored (a CHECK in migration 0006 lists them); the labels are
// what staff read.
const (
	UnitBureau    = "bureau"
	UnitSection   = "section"
	UnitCounty    = "county"
	UnitTownship  = "township"
	UnitCommunity = "community"
	UnitVillage   = "village"
	UnitPrivate   = "private"
	UnitDept      = "dept" // a department inside a unit: never in the public form's list
)

// UnitKinds lists every kind of unit with its Chinese name, in the order forms show them.
// It lives here, beside the CHECK constraint it mirrors, because storage enforces the one rule
// that depends on a kind (a department sits under a unit that is not itself a department).
var UnitKinds = vocab.List("unitkind.bureau", "unitkind.section", "unitkind.county", "unitkind.township",
	"unitkind.community", "unitkind.village", "unitkind.private", "unitkind.dept")

// MaxUnitName is the longest unit name, in characters.
const MaxUnitName = 50

var unitCodeRe = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

// ValidUnitCode reports whether code may name a unit in URLs (?unit=CODE): 1 to 40 lowercase
// letters, digits and '-'.
func ValidUnitCode(code string) bool { return unitCodeRe.MatchString(code) }

// ValidUnitName reports whether name (already trimmed) may name a unit.
func ValidUnitName(name string) bool {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxUnitName {
		return false
	}
	return strings.IndexFunc(name, unicode.IsControl) < 0
}

// Reasons a unit change is refused. Each wraps ErrConflict, so callers that only care that the
// change clashed with what is stored test for that; the admin page tells them apart.
var (
	ErrUnitCodeTaken     = fmt.Errorf("unit code taken: %w", ErrConflict)
	ErrUnitNameTaken     = fmt.Errorf("unit name taken: %w", ErrConflict)
	ErrUnitHasChildren   = fmt.Errorf("unit has active units under it: %w", ErrConflict)
	ErrUnitParentRetired = fmt.Errorf("unit's parent is retired: %w", ErrConflict)
)

// UnitNode is one unit as the administrator sees it: active or retired, with its place in the
// tree.
type UnitNode struct {
	Unit
	Kind      string
	SortOrder int
	Active    bool
	Depth     int // 0 for a unit with no parent
}

// IsDept reports whether n is a department (科室/病区) rather than a unit of its own.
func (n UnitNode) IsDept() bool { return n.Kind == UnitDept }

// AllUnits returns every unit, active and retired, in tree order: each parent before its
// children, children by sort order then name.
func (s *Store) AllUnits(ctx context.Context) ([]UnitNode, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT code, name, COALESCE(parent_code, ''), kind, sort_order, active
		FROM units ORDER BY sort_order, name, code`)
	if err != nil {
		return nil, fmt.Errorf("list all units: %w", err)
	}
	defer rows.Close()
	var flat []UnitNode
	for rows.Next() {
		var n UnitNode
		if err := rows.Scan(&n.Code, &n.Name, &n.ParentCode, &n.Kind, &n.SortOrder, &n.Active); err != nil {
			return nil, err
		}
		flat = append(flat, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return treeOrder(flat), nil
}

// treeOrder puts units (already sorted among themselves) parents first, depth-first. A unit
// whose parent is missing or part of a loop (only possible by editing the file by hand) is
// listed at the end as a root rather than lost.
func treeOrder(flat []UnitNode) []UnitNode {
	children := map[string][]UnitNode{}
	known := map[string]bool{}
	for _, n := range flat {
		known[n.Code] = true
	}
	for _, n := range flat {
		parent := n.ParentCode
		if !known[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], n)
	}
	out := make([]UnitNode, 0, len(flat))
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, n := range children[parent] {
			if seen[n.Code] {
				continue
			}
			seen[n.Code] = true
			n.Depth = depth
			out = append(out, n)
			walk(n.Code, depth+1)
		}
	}
	walk("", 0)
	for _, n := range flat {
		if !seen[n.Code] {
			seen[n.Code] = true
			out = append(out, n)
			walk(n.Code, 1)
		}
	}
	return out
}

// NewUnit is a unit to add. ParentCode is required for a department and optional otherwise.
type NewUnit struct {
	Code       string
	Name       string
	ParentCode string
	Kind       string
}

// CreateUnit adds a unit at the end of its parent's list. A malformed code or name, an unknown
// kind or parent, a retired parent, a parent that is a department, or a department without a
// parent is ErrInvalid; a code or name already used is ErrUnitCodeTaken / ErrUnitNameTaken
// (both ErrConflict). The new unit is in Units() at once, unless it is a department.
func (s *Store) CreateUnit(ctx context.Context, actorID int64, n NewUnit) error {
	n.Code, n.Name, n.ParentCode = strings.TrimSpace(n.Code), strings.TrimSpace(n.Name), strings.TrimSpace(n.ParentCode)
	switch {
	case !ValidUnitCode(n.Code):
		return fmt.Errorf("unit code %q: %w", n.Code, ErrInvalid)
	case !ValidUnitName(n.Name):
		return fmt.Errorf("unit name %q: %w", n.Name, ErrInvalid)
	case !lifecycle.ValidTerm(UnitKinds, n.Kind):
		return fmt.Errorf("unit kind %q: %w", n.Kind, ErrInvalid)
	case n.Kind == UnitDept && n.ParentCode == "":
		return fmt.Errorf("department %q needs a unit above it: %w", n.Code, ErrInvalid)
	}
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if n.ParentCode != "" {
			if err := checkParent(ctx, tx, n.ParentCode); err != nil {
				return err
			}
		}
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE code = ?)`, n.Code).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("add unit %q: %w", n.Code, ErrUnitCodeTaken)
		}
		if err := checkNameFree(ctx, tx, n.Kind, n.ParentCode, n.Name, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, parent_code, kind, sort_order)
			VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 10 FROM units))`,
			n.Code, n.Name, nullString(n.ParentCode), n.Kind); err != nil {
			return fmt.Errorf("add unit %q: %w", n.Code, mapError(err))
		}
		if err := bump(ctx, tx, GenUnits); err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, actorID, "unit_add", n.Code, n.Code)
	})
	if err != nil {
		return err
	}
	s.forgetUnits()
	return nil
}

// checkParent refuses a parent that does not exist, is retired, or is a department.
func checkParent(ctx context.Context, tx *sql.Tx, code string) error {
	var kind string
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT kind, active FROM units WHERE code = ?`, code).Scan(&kind, &active)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("parent unit %q does not exist: %w", code, ErrInvalid)
	case err != nil:
		return err
	case !active:
		return fmt.Errorf("parent unit %q is retired: %w", code, ErrInvalid)
	case kind == UnitDept:
		return fmt.Errorf("parent unit %q is a department: %w", code, ErrInvalid)
	}
	return nil
}

// checkNameFree refuses a name another unit (not except) already has: a department's name
// among the departments of its unit, any other unit's name among all units but departments.
func checkNameFree(ctx context.Context, tx *sql.Tx, kind, parent, name, except string) error {
	q := `SELECT EXISTS (SELECT 1 FROM units WHERE name = ? AND code != ? AND kind != 'dept')`
	args := []any{name, except}
	if kind == UnitDept {
		q = `SELECT EXISTS (SELECT 1 FROM units WHERE name = ? AND code != ? AND kind = 'dept' AND parent_code = ?)`
		args = append(args, parent)
	}
	var taken bool
	if err := tx.QueryRowContext(ctx, q, args...).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("unit name %q: %w", name, ErrUnitNameTaken)
	}
	return nil
}

// unitRow reads what a change to one unit needs to know, or ErrNotFound.
func unitRow(ctx context.Context, tx *sql.Tx, code string) (UnitNode, error) {
	var n UnitNode
	err := tx.QueryRowContext(ctx, `SELECT code, name, COALESCE(parent_code, ''), kind, sort_order, active
		FROM units WHERE code = ?`, code).Scan(&n.Code, &n.Name, &n.ParentCode, &n.Kind, &n.SortOrder, &n.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return UnitNode{}, fmt.Errorf("unit %q: %w", code, ErrNotFound)
	}
	return n, err
}

// RenameUnit gives a unit a new name; its code, and so every poster, stays. An unknown code is
// ErrNotFound, a malformed name ErrInvalid, a name in use ErrUnitNameTaken.
func (s *Store) RenameUnit(ctx context.Context, actorID int64, code, name string) error {
	name = strings.TrimSpace(name)
	if !ValidUnitName(name) {
		return fmt.Errorf("unit name %q: %w", name, ErrInvalid)
	}
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		u, err := unitRow(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := checkNameFree(ctx, tx, u.Kind, u.ParentCode, name, code); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE units SET name = ? WHERE code = ?`, name, code); err != nil {
			return fmt.Errorf("rename unit %q: %w", code, mapError(err))
		}
		if err := bump(ctx, tx, GenUnits); err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, actorID, "unit_rename", code, code+": "+u.Name+" → "+name)
	})
	if err != nil {
		return err
	}
	s.forgetUnits()
	return nil
}

// SetUnitActive retires (active false) or restores a unit. Retiring keeps every opinion about
// the unit; it only leaves the public form's list. A unit with active units under it cannot be
// retired (ErrUnitHasChildren), nor a unit restored under a retired parent
// (ErrUnitParentRetired): an active unit's parent is always active. Setting the state it
// already has changes nothing and records nothing.
func (s *Store) SetUnitActive(ctx context.Context, actorID int64, code string, active bool) error {
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		u, err := unitRow(ctx, tx, code)
		if err != nil || u.Active == active {
			return err
		}
		action := "unit_restore"
		if active {
			if err := checkParentActive(ctx, tx, u.ParentCode); err != nil {
				return err
			}
		} else {
			action = "unit_retire"
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM units WHERE parent_code = ? AND active = 1`, code).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("retire %q, %d active under it: %w", code, n, ErrUnitHasChildren)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE units SET active = ? WHERE code = ?`, active, code); err != nil {
			return fmt.Errorf("%s %q: %w", action, code, err)
		}
		if err := bump(ctx, tx, GenUnits); err != nil {
			return err
		}
		return auditUnit(ctx, tx, now, actorID, action, code, code)
	})
	if err != nil {
		return err
	}
	s.forgetUnits()
	return nil
}

func checkParentActive(ctx context.Context, tx *sql.Tx, parent string) error {
	if parent == "" {
		return nil
	}
	p, err := unitRow(ctx, tx, parent)
	if err != nil {
		return err
	}
	if !p.Active {
		return fmt.Errorf("restore under %q: %w", parent, ErrUnitParentRetired)
	}
	return nil
}
