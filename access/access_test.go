package access

import (
	"strings"
	"testing"

	"minsheng/lifecycle"
)

func TestCanSee(t *testing.T) {
	plain := Facts{Type: "complaint", UnitCode: "county-hospital", LeadUnit: "county-hospital"}
	report := Facts{Type: ReportType, UnitCode: "county-hospital", LeadUnit: "county-hospital"}
	ownLeadership := Facts{Type: "complaint", UnitCode: "county-hospital", LeadUnit: "county-hospital", AboutLeadership: true}
	otherLeadership := Facts{Type: "complaint", UnitCode: "tcm-hospital", LeadUnit: "county-hospital", AboutLeadership: true}
	unassigned := Facts{Type: "complaint", UnitCode: "county-hospital"}
	liaison := Viewer{Role: Liaison, Unit: "county-hospital"}
	bureau := Viewer{Role: Liaison, Unit: "bureau", Today: "2026-04-15"}
	late := Facts{Type: "complaint", UnitCode: "tcm-hospital", LeadUnit: "tcm-hospital", LeadParent: "bureau",
		Status: lifecycle.Rectifying, Deadline: "2026-04-10"}
	lateDone := late
	lateDone.Status = lifecycle.Closed
	onTime := late
	onTime.Deadline = "2026-04-15"
	leader := Viewer{Role: Leader, Linked: []string{"tcm-hospital"}}
	tests := []struct {
		name string
		v    Viewer
		f    Facts
		want bool
	}{
		{"reviewer sees a complaint", Viewer{Role: Reviewer}, plain, true},
		{"reviewer never sees 举报", Viewer{Role: Reviewer}, report, false},
		{"admin never sees 举报", Viewer{Role: Admin}, report, false},
		{"supervisor never sees 举报", Viewer{Role: Supervisor}, report, false},
		{"discipline sees 举报", Viewer{Role: Discipline}, report, true},
		{"discipline sees only 举报", Viewer{Role: Discipline}, plain, false},
		{"liaison sees work assigned to the unit", liaison, plain, true},
		{"liaison does not see unassigned work", liaison, unassigned, false},
		{"liaison never sees their own leadership", liaison, ownLeadership, false},
		{"liaison sees another unit's leadership issue led by them", liaison, otherLeadership, true},
		{"liaison never sees 举报", liaison, report, false},
		{"liaison of another unit", Viewer{Role: Liaison, Unit: "tcm-hospital"}, plain, false},
		{"liaison without a unit", Viewer{Role: Liaison}, unassigned, false},
		{"leader sees a linked unit", leader, otherLeadership, true},
		{"leader does not see other units", leader, plain, false},
		{"unknown role", Viewer{Role: "visitor"}, plain, false},
		{"overdue work escalates to the parent's liaison", bureau, late, true},
		{"work due today does not escalate", bureau, onTime, false},
		{"finished work does not escalate", bureau, lateDone, false},
		{"no date, no escalation", Viewer{Role: Liaison, Unit: "bureau"}, late, false},
		{"escalation does not reach a sibling", Viewer{Role: Liaison, Unit: "county-hospital", Today: "2026-04-15"}, late, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanSee(tt.f); got != tt.want {
				t.Fatalf("CanSee = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCanMove checks every role against every pair of statuses.
func TestCanMove(t *testing.T) {
	liaisonMoves := map[[2]string]bool{{lifecycle.Assigned, lifecycle.Rectifying}: true, {lifecycle.Rectifying, lifecycle.Reported}: true}
	supervisorMoves := map[[2]string]bool{{lifecycle.Reported, lifecycle.LookBack}: true,
		{lifecycle.LookBack, lifecycle.Satisfaction}: true, {lifecycle.LookBack, lifecycle.Rectifying}: true}
	for _, role := range Roles {
		v := Viewer{Role: role.Code, Unit: "x"}
		for _, from := range lifecycle.Statuses {
			for _, to := range lifecycle.Statuses {
				pair := [2]string{from.Code, to.Code}
				var want bool
				switch role.Code {
				case Admin, Reviewer, Discipline:
					want = lifecycle.CanMove(from.Code, to.Code)
				case Liaison, UnitHead, DeptHead:
					want = liaisonMoves[pair]
				case Supervisor:
					want = supervisorMoves[pair]
				}
				if got := v.CanMove(from.Code, to.Code); got != want {
					t.Errorf("%s: CanMove(%s, %s) = %v, want %v", role.Code, from.Code, to.Code, got, want)
				}
			}
		}
	}
}

func TestCan(t *testing.T) {
	want := map[string][]string{
		Admin:      {Tag, Reply, Note, Export, SeeContact, Administer, Transcribe, SeeIdentifiers, ReadAudit},
		Reviewer:   {Tag, Reply, Note, Export, SeeContact, Transcribe},
		Discipline: {Tag, Reply, Note, Export, SeeContact, SeeIdentifiers, ReadAudit},
		Supervisor: {Note, Export, Transcribe}, // its inspection findings alone: TestCanTranscribeChannel
		Liaison:    {Note, Transcribe},
		Leader:     {},
	}
	all := []string{Tag, Reply, Note, Export, SeeContact, Administer, Transcribe, SeeIdentifiers, ReadAudit}
	for role, allowed := range want {
		for _, a := range all {
			exp := false
			for _, x := range allowed {
				exp = exp || x == a
			}
			if got := (Viewer{Role: role}).Can(a); got != exp {
				t.Errorf("%s Can(%s) = %v, want %v", role, a, got, exp)
			}
		}
	}
	if !ValidRole(Liaison) || ValidRole("boss") {
		t.Error("ValidRole disagrees with Roles")
	}
}

func TestCanTranscribeFor(t *testing.T) {
	tests := []struct {
		name string
		v    Viewer
		unit string
		want bool
	}{
		{"reviewer, any unit", Viewer{Role: Reviewer}, "tcm-hospital", true},
		{"admin, any unit", Viewer{Role: Admin}, "county-hospital", true},
		{"liaison, own unit", Viewer{Role: Liaison, Unit: "county-hospital"}, "county-hospital", true},
		{"liaison, another unit", Viewer{Role: Liaison, Unit: "county-hospital"}, "tcm-hospital", false},
		{"liaison without a unit", Viewer{Role: Liaison}, "", false},
		{"supervisor, its findings about any unit", Viewer{Role: Supervisor}, "county-hospital", true},
		{"discipline", Viewer{Role: Discipline}, "county-hospital", false},
		{"leader, even a linked unit", Viewer{Role: Leader, Linked: []string{"tcm-hospital"}}, "tcm-hospital", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanTranscribeFor(tt.unit); got != tt.want {
				t.Fatalf("CanTranscribeFor(%q) = %v, want %v", tt.unit, got, tt.want)
			}
		})
	}
}

// TestCanTranscribeChannel: the supervision group (督导组) enters its inspection findings
// (feature 44) and nothing else; the office and liaisons every channel staff type in; nobody a
// channel the public uses directly.
func TestCanTranscribeChannel(t *testing.T) {
	tests := []struct {
		name    string
		v       Viewer
		channel string
		want    bool
	}{
		{"supervisor, inspection", Viewer{Role: Supervisor}, "inspection", true},
		{"supervisor, a letter", Viewer{Role: Supervisor}, "letter", false},
		{"supervisor, the paper form", Viewer{Role: Supervisor}, "paper", false},
		{"reviewer, inspection", Viewer{Role: Reviewer}, "inspection", true},
		{"reviewer, petition", Viewer{Role: Reviewer}, "petition", true},
		{"liaison, e-mail", Viewer{Role: Liaison, Unit: "county-hospital"}, "email", true},
		{"reviewer, the web form", Viewer{Role: Reviewer}, "web", false},
		{"discipline, inspection", Viewer{Role: Discipline}, "inspection", false},
		{"leader, inspection", Viewer{Role: Leader}, "inspection", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.CanTranscribeChannel(tt.channel); got != tt.want {
				t.Fatalf("CanTranscribeChannel(%q) = %v, want %v", tt.channel, got, tt.want)
			}
		})
	}
}

// TestNamedIn: the person an opinion names never sees it (see NamedIn).
func TestNamedIn(t *testing.T) {
	cashier := Facts{Type: "complaint", UnitCode: "county-hospital", LeadUnit: "county-hospital",
		TargetKind: "staff", TargetPost: "收费窗口", TargetBadge: "A0123"}
	president := Facts{Type: "complaint", UnitCode: "county-hospital", LeadUnit: "county-hospital",
		AboutLeadership: true, TargetKind: "leadership", TargetPost: "院长"}
	tests := []struct {
		name  string
		v     Viewer
		f     Facts
		named bool
		sees  bool
	}{
		{"the unit's liaison, a staff member named", Viewer{Role: Liaison, Unit: "county-hospital"}, cashier, false, true},
		{"the unit's liaison, the president named", Viewer{Role: Liaison, Unit: "county-hospital"}, president, true, false},
		{"the liaison with that badge", Viewer{Role: Liaison, Unit: "county-hospital", Badge: "A0123"}, cashier, true, false},
		{"the liaison with that post", Viewer{Role: Liaison, Unit: "county-hospital", Post: "收费窗口"}, cashier, true, false},
		{"that badge in another unit", Viewer{Role: Liaison, Unit: "tcm-hospital", Badge: "A0123"}, cashier, false, false},
		{"a reviewer with the president's post", Viewer{Role: Reviewer, Unit: "county-hospital", Post: "院长"}, president, true, false},
		{"a reviewer", Viewer{Role: Reviewer}, president, false, true},
		{"the supervision group", Viewer{Role: Supervisor}, cashier, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.NamedIn(tt.f); got != tt.named {
				t.Errorf("NamedIn = %v, want %v", got, tt.named)
			}
			if got := tt.v.CanSee(tt.f); got != tt.sees {
				t.Errorf("CanSee = %v, want %v", got, tt.sees)
			}
		})
	}
}

// TestContactAndPublicText is the one rule for a submitter's personal data, per role: the
// contact as written for those who may reach the person, nothing for the others; numbers in
// the text as written only for administrators and discipline.
func TestContactAndPublicText(t *testing.T) {
	const contact, text, masked = "微信 wxid_a1，13900001111", "我的电话13812345678", "我的电话138******78"
	tests := []struct {
		role          string
		contact, text string
	}{
		{Admin, contact, text},
		{Reviewer, contact, masked},
		{Discipline, contact, text},
		{Supervisor, "", masked},
		{Liaison, "", masked},
		{Leader, "", masked},
		{"visitor", "", masked},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			v := Viewer{Role: tt.role}
			if got := v.Contact(contact); got != tt.contact {
				t.Errorf("Contact = %q, want %q", got, tt.contact)
			}
			if got := v.PublicText(text); got != tt.text {
				t.Errorf("PublicText = %q, want %q", got, tt.text)
			}
		})
	}
}

// TestOmitted: every role is told what its figures leave out; those who do not read 举报 are
// told that 举报 are counted elsewhere.
func TestOmitted(t *testing.T) {
	for _, role := range Roles {
		got := Viewer{Role: role.Code}.Omitted()
		if got == "" {
			t.Errorf("%s: Omitted is empty", role.Code)
		}
		if role.Code != Discipline && !strings.Contains(got, "不含举报") {
			t.Errorf("%s: Omitted = %q, does not say 举报 are left out", role.Code, got)
		}
	}
}
