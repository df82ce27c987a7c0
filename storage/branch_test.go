package storage

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"minsheng/access"
)

// branchUnits adds 东县 with a hospital and its 内科 under the bureau, and 西县 beside it.
func branchUnits(t *testing.T, s *Store) {
	t.Helper()
	for _, u := range []NewUnit{
		{Code: "east-county", Name: "东县卫健局", ParentCode: "bureau", Kind: "section"},
		{Code: "east-hospital", Name: "东县人民医院", ParentCode: "east-county", Kind: "county"},
		{Code: "east-dept", Name: "内科", ParentCode: "east-hospital", Kind: UnitDept},
		{Code: "west-county", Name: "西县卫健局", ParentCode: "bureau", Kind: "section"},
	} {
		if err := s.CreateUnit(context.Background(), 0, u); err != nil {
			t.Fatalf("CreateUnit %s: %v", u.Code, err)
		}
	}
}

// TestSubtree: a branch is its root and every unit under it, departments and retired units
// included (their opinions stay in the branch); an unknown root is ErrNotFound.
func TestSubtree(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		branchUnits(t, s)
		if err := s.SetUnitActive(ctx, 0, "east-dept", false); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			root string
			want []string
		}{
			{"east-county", []string{"east-county", "east-dept", "east-hospital"}},
			{"east-hospital", []string{"east-dept", "east-hospital"}},
			{"west-county", []string{"west-county"}},
		}
		for _, tt := range tests {
			t.Run(tt.root, func(t *testing.T) {
				got, err := s.Subtree(ctx, tt.root)
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Subtree = %v, %v; want %v", got, err, tt.want)
				}
			})
		}
		all, err := s.Subtree(ctx, "bureau")
		if err != nil || len(all) < 8 {
			t.Errorf("the bureau's subtree: %v, %v; want every unit", all, err)
		}
		if _, err := s.Subtree(ctx, "nowhere"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown root: %v, want ErrNotFound", err)
		}
	})
}

// TestBranchAdminAccount: only an administrator has a branch, an existing one; the session
// loads it with its subtree, and the creation is audited with it.
func TestBranchAdminAccount(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		branchUnits(t, s)
		u := mustCreateScoped(t, s, NewUser{Username: "东县管理员", Role: access.Admin, Branch: "east-county"})
		wantLastAudit(t, s, "user_add", "东县管理员 (admin, east-county)")
		got, err := s.SessionUser(ctx, mustSession(t, s, u))
		if err != nil {
			t.Fatal(err)
		}
		v := got.Viewer()
		if v.Branch != "east-county" || !reflect.DeepEqual(v.BranchUnits, []string{"east-county", "east-dept", "east-hospital"}) {
			t.Errorf("session viewer: branch %q units %v", v.Branch, v.BranchUnits)
		}
		whole := mustCreateScoped(t, s, NewUser{Username: "省管理员", Role: access.Admin})
		if got, err := s.SessionUser(ctx, mustSession(t, s, whole)); err != nil || got.Branch != "" || got.BranchUnits != nil {
			t.Errorf("a whole-tree admin's session: %+v, %v", got, err)
		}
		for name, n := range map[string]NewUser{
			"a reviewer with a branch": {Username: "审核员", Role: access.Reviewer, Branch: "east-county"},
			"a liaison with a branch":  {Username: "联络员", Role: access.Liaison, Unit: "east-hospital", Branch: "east-county"},
		} {
			n.Password = testPassword
			if _, err := s.CreateScopedUser(ctx, 0, n); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %v, want ErrInvalid", name, err)
			}
		}
		n := NewUser{Username: "无名管理员", Password: testPassword, Role: access.Admin, Branch: "nowhere"}
		if _, err := s.CreateScopedUser(ctx, 0, n); !errors.Is(err, ErrNotFound) {
			t.Errorf("an unknown branch: %v, want ErrNotFound", err)
		}
		users, err := s.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range users {
			if x.Username == "无名管理员" {
				t.Error("the administrator of an unknown branch was created")
			}
			if x.Username == "东县管理员" && x.Branch != "east-county" {
				t.Errorf("Users lists the branch as %q", x.Branch)
			}
		}
	})
}
