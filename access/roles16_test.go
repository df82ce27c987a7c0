package access

import (
	"testing"

	"minsheng/lifecycle"
)

// TestNewRolesCanSee: the unit head, the department head and the citizen supervisor against
// the opinions that test each rule (feature 58).
func TestNewRolesCanSee(t *testing.T) {
	inDept := Facts{Type: "complaint", UnitCode: "county-hospital", Dept: "内科", LeadUnit: "county-hospital"}
	otherDept := inDept
	otherDept.Dept = "外科"
	noDept := inDept
	noDept.Dept = ""
	unassigned := Facts{Type: "complaint", UnitCode: "county-hospital", Dept: "内科"}
	ownLeadership := inDept
	ownLeadership.AboutLeadership = true
	otherLeadership := Facts{Type: "complaint", UnitCode: "tcm-hospital", Dept: "内科", LeadUnit: "county-hospital", AboutLeadership: true}
	report := Facts{Type: ReportType, UnitCode: "county-hospital", Dept: "内科", LeadUnit: "county-hospital"}
	disciplineBox := inDept
	disciplineBox.Mailbox, disciplineBox.DisciplineMailbox = "discipline", true
	letterHanded := inDept
	letterHanded.Mailbox = "director"
	letterNotHanded := unassigned
	letterNotHanded.Mailbox = "director"
	otherUnit := Facts{Type: "complaint", UnitCode: "tcm-hospital", Dept: "内科", LeadUnit: "tcm-hospital"}
	late := Facts{Type: "complaint", UnitCode: "qingshan-thc", LeadUnit: "qingshan-thc", LeadParent: "county-hospital",
		Status: lifecycle.Rectifying, Deadline: "2026-04-10"}

	namedBadge := inDept
	namedBadge.TargetKind, namedBadge.TargetBadge = "staff", "A0123"
	namedPost := unassigned
	namedPost.TargetKind, namedPost.TargetPost = "staff", "院长"
	unitHead := Viewer{Role: UnitHead, Unit: "county-hospital", Today: "2026-04-15"}
	deptHead := Viewer{Role: DeptHead, Unit: "county-hospital", Dept: "内科", Today: "2026-04-15"}
	monitor := Viewer{Role: Monitor, Linked: []string{"county-hospital"}}
	tests := []struct {
		name string
		v    Viewer
		f    Facts
		want bool
	}{
		{"unit head sees work handed to the unit", unitHead, inDept, true},
		{"unit head sees the unit's unassigned opinions", unitHead, unassigned, true},
		{"unit head never sees the unit's own leadership", unitHead, ownLeadership, false},
		{"unit head sees another unit's leadership led by them", unitHead, otherLeadership, true},
		{"unit head never sees 举报", unitHead, report, false},
		{"unit head never sees the discipline mailbox", unitHead, disciplineBox, false},
		{"unit head sees a letter handed to the unit", unitHead, letterHanded, true},
		{"unit head does not read a mailbox's letter not handed over", unitHead, letterNotHanded, false},
		{"unit head does not see another unit", unitHead, otherUnit, false},
		{"unit head follows overdue work below (督办)", unitHead, late, true},
		{"unit head without a unit", Viewer{Role: UnitHead}, unassigned, false},
		{"department head sees their 科室's work", deptHead, inDept, true},
		{"department head does not see another 科室", deptHead, otherDept, false},
		{"department head does not see work naming no 科室", deptHead, noDept, false},
		{"department head does not see unassigned work", deptHead, unassigned, false},
		{"department head never sees the unit's own leadership", deptHead, ownLeadership, false},
		{"department head never sees 举报", deptHead, report, false},
		{"department head sees a letter handed to their 科室", deptHead, letterHanded, true},
		{"department head does not follow overdue work below", deptHead, late, false},
		{"department head without a 科室", Viewer{Role: DeptHead, Unit: "county-hospital"}, inDept, false},
		{"department head of another unit", Viewer{Role: DeptHead, Unit: "tcm-hospital", Dept: "内科"}, inDept, false},
		{"department head named by badge never sees it", Viewer{Role: DeptHead, Unit: "county-hospital", Dept: "内科", Badge: "A0123"},
			namedBadge, false},
		{"department head not named sees it", deptHead, namedBadge, true},
		{"unit head named by post never sees it", Viewer{Role: UnitHead, Unit: "county-hospital", Post: "院长"}, namedPost, false},
		{"unit head with another post sees it", Viewer{Role: UnitHead, Unit: "county-hospital", Post: "书记"}, namedPost, true},
		{"monitor sees no opinion, even of an assigned unit", monitor, unassigned, false},
		{"monitor sees no handed-over work", monitor, inDept, false},
		{"monitor never sees 举报", monitor, report, false},
		{"monitor reads no mailbox, even configured to", Viewer{Role: Monitor, Mailboxes: []string{"director"}}, letterNotHanded, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanSee(tt.f); got != tt.want {
				t.Fatalf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestNewRolesActions: what each new role may do besides seeing.
func TestNewRolesActions(t *testing.T) {
	all := []string{Tag, Reply, Note, Export, SeeContact, Administer, Transcribe, SeeIdentifiers, ReadAudit,
		SeeEvaluations, Accountability}
	want := map[string][]string{
		UnitHead:   {Note},
		DeptHead:   {Note},
		Monitor:    {},
		Admin:      {Tag, Reply, Note, Export, SeeContact, Administer, Transcribe, SeeIdentifiers, ReadAudit, Accountability},
		Discipline: {Tag, Reply, Note, Export, SeeContact, SeeIdentifiers, ReadAudit, Accountability},
		Reviewer:   {Tag, Reply, Note, Export, SeeContact, Transcribe},
	}
	for role, allowed := range want {
		for _, a := range all {
			exp := false
			for _, x := range allowed {
				exp = exp || x == a
			}
			if got := (Viewer{Role: role, Unit: "county-hospital"}).Can(a); got != exp {
				t.Errorf("%s Can(%s) = %v, want %v", role, a, got, exp)
			}
		}
	}
	for _, role := range []string{UnitHead, DeptHead, Monitor} {
		if !ValidRole(role) {
			t.Errorf("ValidRole(%s) = false", role)
		}
		if (Viewer{Role: role, Unit: "county-hospital"}).CanTranscribeFor("county-hospital") {
			t.Errorf("%s may transcribe", role)
		}
	}
	if !HasUnit(UnitHead) || !HasUnit(DeptHead) || !HasUnit(Liaison) || HasUnit(Monitor) || HasUnit(Leader) {
		t.Error("HasUnit disagrees with the roles")
	}
	if !HasLinks(Monitor) || !HasLinks(Leader) || HasLinks(UnitHead) || HasLinks(Admin) {
		t.Error("HasLinks disagrees with the roles")
	}
}

// TestCanSeeConduct: the conduct record is read by those granted it and by a department head
// for their own 科室; a citizen supervisor never, even with the mark.
func TestCanSeeConduct(t *testing.T) {
	tests := []struct {
		name       string
		v          Viewer
		unit, dept string
		want       bool
	}{
		{"granted reviewer, any department", Viewer{Role: Reviewer, ConductReader: true}, "tcm-hospital", "外科", true},
		{"administrator without the grant", Viewer{Role: Admin}, "tcm-hospital", "外科", false},
		{"discipline without the grant", Viewer{Role: Discipline}, "tcm-hospital", "外科", false},
		{"department head, own", Viewer{Role: DeptHead, Unit: "county-hospital", Dept: "内科"}, "county-hospital", "内科", true},
		{"department head, another 科室", Viewer{Role: DeptHead, Unit: "county-hospital", Dept: "内科"}, "county-hospital", "外科", false},
		{"department head, same name elsewhere", Viewer{Role: DeptHead, Unit: "county-hospital", Dept: "内科"}, "tcm-hospital", "内科", false},
		{"unit head without the grant", Viewer{Role: UnitHead, Unit: "county-hospital"}, "county-hospital", "内科", false},
		{"monitor, even granted", Viewer{Role: Monitor, ConductReader: true}, "county-hospital", "内科", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanSeeConduct(tt.unit, tt.dept); got != tt.want {
				t.Fatalf("CanSeeConduct = %v, want %v", got, tt.want)
			}
		})
	}
}
