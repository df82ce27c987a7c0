package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
