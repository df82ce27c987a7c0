package access

import (
	"testing"

	"minsheng/lifecycle"
)

// TestCanSeeMailboxLetters: a letter in a mailbox (信箱) is for the mailbox's readers, and the
// liaison it is handed to; a letter to the discipline mailbox, and any 举报, for discipline alone.
func TestCanSeeMailboxLetters(t *testing.T) {
	director := Facts{Type: "suggestion", UnitCode: "bureau", Mailbox: "director"}
	hospital := Facts{Type: "complaint", UnitCode: "county-hospital", Mailbox: "county-president"}
	assigned := hospital
	assigned.LeadUnit, assigned.Status = "county-hospital", lifecycle.Assigned
	ownLeadership := assigned
	ownLeadership.AboutLeadership = true
	late := Facts{Type: "complaint", UnitCode: "tcm-hospital", LeadUnit: "tcm-hospital", LeadParent: "bureau",
		Status: lifecycle.Rectifying, Deadline: "2026-04-10", Mailbox: "director"}
	discipline := Facts{Type: "complaint", UnitCode: "county-hospital", Mailbox: "discipline", DisciplineMailbox: true}
	disciplineAssigned := discipline
	disciplineAssigned.LeadUnit, disciplineAssigned.Status = "county-hospital", lifecycle.Assigned
	reportToDirector := Facts{Type: ReportType, UnitCode: "bureau", Mailbox: "director"}

	directorReader := []string{"director"}
	countyLiaison := Viewer{Role: Liaison, Unit: "county-hospital"}
	tests := []struct {
		name string
		v    Viewer
		f    Facts
		want bool
	}{
		{"admin reader sees the director's letter", Viewer{Role: Admin, Mailboxes: directorReader}, director, true},
		{"reviewer reader sees the director's letter", Viewer{Role: Reviewer, Mailboxes: directorReader}, director, true},
		{"leader reader sees it whatever their links", Viewer{Role: Leader, Mailboxes: directorReader}, director, true},
		{"admin who is not a reader does not", Viewer{Role: Admin}, hospital, false},
		{"reviewer who is not a reader does not", Viewer{Role: Reviewer, Mailboxes: directorReader}, hospital, false},
		{"supervisor who is not a reader does not", Viewer{Role: Supervisor}, hospital, false},
		{"leader linked to the unit but not a reader does not", Viewer{Role: Leader, Linked: []string{"county-hospital"}}, hospital, false},
		{"named liaison reader sees an unassigned letter", Viewer{Role: Liaison, Unit: "county-hospital", Mailboxes: []string{"county-president"}}, hospital, true},
		{"named reader of another unit sees it too", Viewer{Role: Liaison, Unit: "qingshan-thc", Mailboxes: []string{"county-president"}}, hospital, true},
		{"liaison does not see an unassigned letter", countyLiaison, hospital, false},
		{"liaison sees the letter once it is handed to the unit", countyLiaison, assigned, true},
		{"liaison of another unit does not", Viewer{Role: Liaison, Unit: "tcm-hospital"}, assigned, false},
		{"liaison never sees their own leadership", countyLiaison, ownLeadership, false},
		{"overdue letter escalates to the parent's liaison", Viewer{Role: Liaison, Unit: "bureau", Today: "2026-04-15"}, late, true},
		{"discipline who is not a reader does not see an ordinary letter", Viewer{Role: Discipline}, hospital, false},
		{"discipline sees the discipline mailbox", Viewer{Role: Discipline}, discipline, true},
		{"admin never sees the discipline mailbox", Viewer{Role: Admin}, discipline, false},
		{"a configured reader other than discipline does not", Viewer{Role: Reviewer, Mailboxes: []string{"discipline"}}, discipline, false},
		{"the assigned liaison does not see the discipline mailbox", countyLiaison, disciplineAssigned, false},
		{"举报 in a mailbox: discipline sees it", Viewer{Role: Discipline}, reportToDirector, true},
		{"举报 in a mailbox: not even its admin reader", Viewer{Role: Admin, Mailboxes: directorReader}, reportToDirector, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanSee(tt.f); got != tt.want {
				t.Fatalf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
}
