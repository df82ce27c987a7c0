package access

import "testing"

// TestBranchAdmin: an administrator limited to a branch sees the opinions of its units only,
// never 举报, and holds none of the whole portal's actions; an administrator of the whole tree
// is as before.
func TestBranchAdmin(t *testing.T) {
	county := Viewer{Role: Admin, Branch: "east-county", BranchUnits: []string{"east-county", "east-hospital"}}
	whole := Viewer{Role: Admin}
	gone := Viewer{Role: Admin, Branch: "gone"} // a branch whose units storage no longer finds
	inBranch := Facts{Type: "complaint", UnitCode: "east-hospital"}
	root := Facts{Type: "suggestion", UnitCode: "east-county"}
	outside := Facts{Type: "complaint", UnitCode: "west-hospital"}
	report := Facts{Type: ReportType, UnitCode: "east-hospital"}
	tests := []struct {
		name string
		v    Viewer
		f    Facts
		want bool
	}{
		{"branch admin, a unit under the root", county, inBranch, true},
		{"branch admin, the root itself", county, root, true},
		{"branch admin, another county", county, outside, false},
		{"branch admin, 举报 in the branch", county, report, false},
		{"whole-tree admin, another county", whole, outside, true},
		{"whole-tree admin, 举报", whole, report, false},
		{"branch with no units", gone, inBranch, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanSee(tt.f); got != tt.want {
				t.Errorf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
	for _, a := range []string{Administer, Accountability} {
		if county.Can(a) || !whole.Can(a) || !WholePortal(a) {
			t.Errorf("%s: branch admin %v, whole-tree admin %v; want false, true", a, county.Can(a), whole.Can(a))
		}
	}
	// The audit log they read filtered to the branch (storage.AuditFilter.Branch).
	for _, a := range []string{AdministerBranch, ReadAudit, Tag, Reply, Export, SeeContact, Transcribe} {
		if !county.Can(a) || WholePortal(a) {
			t.Errorf("branch admin cannot %s", a)
		}
	}
	// Mailboxes, sites, surveys: a thing of a unit of the branch, never one of no unit.
	for _, c := range []struct {
		v    Viewer
		unit string
		want bool
	}{
		{county, "east-hospital", true}, {county, "east-county", true}, {county, "west-hospital", false}, {county, "", false},
		{whole, "west-hospital", true}, {whole, "", true}, {gone, "east-hospital", false},
	} {
		if got := c.v.OwnsInBranch(c.unit); got != c.want {
			t.Errorf("branch %q OwnsInBranch(%q) = %v, want %v", c.v.Branch, c.unit, got, c.want)
		}
	}
	if county.CanTranscribeFor("west-hospital") || !county.CanTranscribeFor("east-hospital") {
		t.Error("a branch admin transcribes for the units of the branch only")
	}
}

// TestManagesAccount: a branch administrator manages only accounts that see no more than the
// branch; every escalation is refused.
func TestManagesAccount(t *testing.T) {
	county := Viewer{Role: Admin, Branch: "east-county", BranchUnits: []string{"east-county", "east-hospital"}}
	whole := Viewer{Role: Admin}
	tests := []struct {
		name                 string
		role, unit, branch   string
		linked               []string
		wantCounty, wantRoot bool
	}{
		{"an unlimited administrator", Admin, "", "", nil, false, true},
		{"an administrator of a narrower branch", Admin, "", "east-hospital", nil, true, true},
		{"an administrator of the same branch", Admin, "", "east-county", nil, true, true},
		{"an administrator of another county", Admin, "", "west-county", nil, false, true},
		{"a liaison in the branch", Liaison, "east-hospital", "", nil, true, true},
		{"a liaison outside", Liaison, "west-hospital", "", nil, false, true},
		{"a reviewer (the whole tree)", Reviewer, "", "", nil, false, true},
		{"a supervisor (the whole tree)", Supervisor, "", "", nil, false, true},
		{"discipline (the whole tree)", Discipline, "", "", nil, false, true},
		{"a leader linked inside", Leader, "", "", []string{"east-hospital"}, true, true},
		{"a leader linked across", Leader, "", "", []string{"east-hospital", "west-hospital"}, false, true},
		{"a leader linked to nothing", Leader, "", "", nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := county.ManagesAccount(tt.role, tt.unit, tt.branch, tt.linked); got != tt.wantCounty {
				t.Errorf("branch admin: %v, want %v", got, tt.wantCounty)
			}
			if got := whole.ManagesAccount(tt.role, tt.unit, tt.branch, tt.linked); got != tt.wantRoot {
				t.Errorf("whole-tree admin: %v, want %v", got, tt.wantRoot)
			}
		})
	}
	if (Viewer{Role: Reviewer}).ManagesAccount(Liaison, "east-hospital", "", nil) {
		t.Error("a reviewer manages no account")
	}
}
