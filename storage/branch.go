package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"minsheng/access"
)

// Branch administrators (#15): an administrator limited to one branch of the unit tree, the
// subtree under one unit (a county within a province). users.branch holds the root's code,
// '' for the whole tree. docs/roles.md says what such an administrator may do.

// subtreeSQL lists the codes of root and every unit under it, active or not (a retired unit's
// opinions stay in its branch), departments included.
const subtreeSQL = `WITH RECURSIVE t(code) AS (SELECT code FROM units WHERE code = ?
	UNION SELECT u.code FROM units u JOIN t ON u.parent_code = t.code) SELECT code FROM t ORDER BY code`

// Subtree returns the codes of root and every unit under it; ErrNotFound for an unknown root.
func (s *Store) Subtree(ctx context.Context, root string) ([]string, error) {
	return subtree(ctx, s.read, root)
}

func subtree(ctx context.Context, q queryer, root string) ([]string, error) {
	codes, err := collect(ctx, q, func(r *sql.Rows) (string, error) {
		var c string
		return c, r.Scan(&c)
	}, subtreeSQL, root)
	if err != nil {
		return nil, fmt.Errorf("branch %q: %w", root, err)
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("branch %q: %w", root, ErrNotFound)
	}
	return codes, nil
}

// loadBranch fills u.BranchUnits from u.Branch.
func (s *Store) loadBranch(ctx context.Context, u *User) error {
	if u.Branch == "" {
		return nil
	}
	units, err := s.Subtree(ctx, u.Branch)
	if err != nil {
		return err
	}
	u.BranchUnits = units
	return nil
}

// branchSQL restricts a list of opinions o to v's branch: "" for a viewer of the whole tree.
// It is the SQL of access.Viewer.InBranch (TestScopeAgreesWithAccess).
func branchSQL(v access.Viewer) (string, []any) {
	if v.Branch == "" {
		return "", nil
	}
	if len(v.BranchUnits) == 0 {
		return "1 = 0", nil
	}
	args := make([]any, len(v.BranchUnits))
	for i, u := range v.BranchUnits {
		args[i] = u
	}
	return "o.unit_code IN (?" + strings.Repeat(", ?", len(v.BranchUnits)-1) + ")", args
}

// ErrOutsideBranch means something of a branch would name a unit outside it (a survey's or an
// evaluation's unit, a branch inside another): the caller refuses it (403), never stores it.
var ErrOutsideBranch = fmt.Errorf("outside the branch: %w", ErrInvalid)

// unitsInBranch answers nil when branch is "" (the whole tree) or every one of units is in it,
// ErrOutsideBranch otherwise.
func unitsInBranch(ctx context.Context, q queryer, branch string, units []string) error {
	if branch == "" {
		return nil
	}
	codes, err := subtree(ctx, q, branch)
	if err != nil {
		return err
	}
	for _, u := range units {
		if !slices.Contains(codes, u) {
			return fmt.Errorf("unit %q, branch %q: %w", u, branch, ErrOutsideBranch)
		}
	}
	return nil
}

// SetUserBranch limits administrator userID to the branch under root, or (root "") gives
// them the whole tree again; audited as user_branch ("name: old → new"), attributed to the
// new branch (the old one for a clearing). Only an administrator has a branch and root must
// be a unit (ErrInvalid); no one changes their own (ErrConflict: a branch administrator would
// widen it, the provincial one lock themselves out); the last active administrator of the
// whole tree keeps it (ErrConflict). Their sessions end, so the change holds at once.
func (s *Store) SetUserBranch(ctx context.Context, actorID, userID int64, root string) error {
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		u, err := userInTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Role != access.Admin {
			return fmt.Errorf("%s is %s, only an administrator has a branch: %w", u.Username, u.Role, ErrInvalid)
		}
		if userID == actorID {
			return fmt.Errorf("change your own branch: %w", ErrConflict)
		}
		if u.Branch == root {
			return nil
		}
		if root != "" {
			if _, err := subtree(ctx, tx, root); err != nil {
				return fmt.Errorf("branch %q: %v: %w", root, err, ErrInvalid)
			}
		}
		if u.Branch == "" && !u.Disabled {
			var whole int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND branch = ''`).
				Scan(&whole); err != nil {
				return err
			}
			if whole <= 1 {
				return fmt.Errorf("limit the last administrator of the whole tree: %w", ErrConflict)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET branch = ? WHERE id = ?`, root, userID); err != nil {
			return fmt.Errorf("set branch of %s: %w", u.Username, err)
		}
		if err := endSessions(ctx, tx, userID); err != nil {
			return err
		}
		unit := root
		if unit == "" {
			unit = u.Branch
		}
		return auditUnit(ctx, tx, now, actorID, "user_branch", unit, u.Username+": "+u.Branch+" → "+root)
	})
}
