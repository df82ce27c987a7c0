package storage

import (
	"context"
	"sort"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// Ensure the SQL scope of every kind of staff member lists exactly the opinions access.CanSee
// lets them open: the two encodings of the rules never drift apart.
func TestScopeAgreesWithAccess(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		// A hospital's 院长信箱 read by one named leader and the supervision group, next to the
		// seeded 局长信箱 (admin, reviewer, leader roles) and 纪检监察信箱 (discipline).
		president, err := s.CreateScopedUser(ctx, 0, NewUser{Username: "院长", Password: testPassword, Role: access.Leader,
			Linked: []string{"tcm-hospital"}})
		if err != nil {
			t.Fatal(err)
		}
		box, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "县人民医院院长信箱", UnitCode: "county-hospital",
			ReaderRoles: []string{access.Supervisor}, ReaderUsers: []int64{president.ID}})
		if err != nil {
			t.Fatal(err)
		}
		hospitalBox := box.Code
		type fixture struct {
			typ, unit, lead string
			leadership      bool
			pastDeadline    bool   // overdue: escalates to the liaison of the lead unit's parent
			mailbox         string // the mailbox (信箱) it was written to
			dept            string // the 科室 it names
		}
		fixtures := []fixture{
			{"complaint", "county-hospital", "", false, false, "", ""},
			{"complaint", "county-hospital", "county-hospital", false, false, "", ""},
			{"complaint", "county-hospital", "county-hospital", true, false, "", ""}, // about the hospital's own leadership
			{"suggestion", "tcm-hospital", "county-hospital", true, false, "", ""},   // led by county-hospital, about tcm's leadership
			{"report", "county-hospital", "county-hospital", false, false, "", ""},   // 举报
			{"report", "bureau", "", false, false, "", ""},
			{"praise", "qingshan-thc", "qingshan-thc", false, false, "", ""},
			{"opinion", "bureau", "bureau", true, false, "", ""},
			{"complaint", "tcm-hospital", "tcm-hospital", false, true, "", ""},      // overdue, parent bureau
			{"complaint", "county-hospital", "county-hospital", true, true, "", ""}, // overdue, about its leadership
			{"report", "qingshan-thc", "qingshan-thc", false, true, "", ""},         // overdue 举报
			// Letters in mailboxes.
			{"suggestion", "bureau", "", false, false, "director", ""},
			{"complaint", "county-hospital", "county-hospital", false, false, "director", ""}, // handed to the hospital
			{"complaint", "tcm-hospital", "tcm-hospital", false, true, "director", ""},        // overdue, parent bureau
			{"report", "bureau", "", false, false, "director", ""},                            // a 举报 in an ordinary mailbox
			{"complaint", "county-hospital", "", false, false, "discipline", ""},
			{"complaint", "county-hospital", "county-hospital", false, false, "discipline", ""}, // handed to the hospital
			{"report", "county-hospital", "", false, false, "discipline", ""},
			{"complaint", "county-hospital", "", false, false, hospitalBox, ""},
			{"complaint", "tcm-hospital", "", false, false, hospitalBox, ""},                  // the president's leader links do not matter
			{"complaint", "county-hospital", "county-hospital", true, false, hospitalBox, ""}, // handed over, about its leadership
			{"complaint", "qingshan-thc", "qingshan-thc", false, false, hospitalBox, ""},      // handed to qingshan
			{"complaint", "county-hospital", "county-hospital", false, false, "vanished", ""}, // a code storage does not know
			// Naming a 科室: a department head's work, or not.
			{"complaint", "county-hospital", "county-hospital", false, false, "", "内科"},
			{"complaint", "county-hospital", "county-hospital", false, false, "", "外科"},
			{"complaint", "county-hospital", "", false, false, "", "内科"},               // not handed over yet
			{"complaint", "county-hospital", "county-hospital", true, false, "", "内科"}, // about the hospital's own leadership
			{"suggestion", "tcm-hospital", "county-hospital", true, false, "", "内科"},   // led by county-hospital, about tcm's leadership
			{"report", "county-hospital", "county-hospital", false, false, "", "内科"},   // 举报
			{"complaint", "tcm-hospital", "tcm-hospital", false, false, "", "内科"},      // the same name in another unit
			{"complaint", "county-hospital", "county-hospital", false, false, "director", "内科"},
			{"complaint", "county-hospital", "", false, false, "director", "内科"},
			{"complaint", "county-hospital", "county-hospital", false, false, "discipline", "内科"},
			{"complaint", "qingshan-thc", "qingshan-thc", false, true, "", "内科"}, // overdue, parent bureau
		}
		facts := map[string]access.Facts{}
		for _, f := range fixtures {
			mailbox := f.mailbox
			if mailbox == "vanished" {
				mailbox = ""
			}
			id := mustCreateOpinion(t, s, NewOpinion{Type: f.typ, UnitCode: f.unit, Dept: f.dept, MailboxCode: mailbox})
			if f.leadership {
				if err := s.Classify(ctx, 0, id, "leadership", true); err != nil {
					t.Fatal(err)
				}
			}
			if f.lead != "" {
				if !f.leadership { // Classify already moved it to 已分类
					walkTo(t, s, id, lifecycle.Triaged)
				}
				step := fullStep(lifecycle.Assigned, "")
				step.LeadUnit = f.lead
				if err := s.Transition(ctx, 0, id, step); err != nil {
					t.Fatal(err)
				}
			}
			if f.pastDeadline {
				if _, err := s.write.Exec(`UPDATE rectifications SET deadline = '2026-03-20' WHERE opinion_id = ?`, id); err != nil {
					t.Fatal(err)
				}
			}
			if f.mailbox == "vanished" {
				if _, err := s.write.Exec(`UPDATE opinions SET mailbox_code = 'vanished' WHERE id = ?`, id); err != nil {
					t.Fatal(err)
				}
			}
			o, err := s.Opinion(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			facts[id] = storedFacts(t, s, o)
			if f.pastDeadline && (o.LeadParent != "bureau" || !facts[id].Overdue("2026-04-01")) {
				t.Fatalf("fixture %+v: not overdue under the bureau: %+v", f, o)
			}
		}
		// Retiring a mailbox takes no letters from its readers.
		if err := s.SetMailboxActive(ctx, 0, hospitalBox, false); err != nil {
			t.Fatal(err)
		}
		viewers := map[string]access.Viewer{
			"admin":                   {Role: access.Admin},
			"reviewer":                {Role: access.Reviewer},
			"supervisor":              {Role: access.Supervisor},
			"discipline":              {Role: access.Discipline},
			"liaison county":          {Role: access.Liaison, Unit: "county-hospital"},
			"liaison qingshan":        {Role: access.Liaison, Unit: "qingshan-thc"},
			"liaison without a unit":  {Role: access.Liaison},
			"liaison bureau (督办)":     {Role: access.Liaison, Unit: "bureau", Today: "2026-04-01"},
			"liaison bureau, no date": {Role: access.Liaison, Unit: "bureau"},
			"leader of two":           {Role: access.Leader, Linked: []string{"county-hospital", "bureau"}},
			"leader of none":          {Role: access.Leader},
			"unknown role":            {Role: "visitor"},
			// The roles of #16: a unit head, department heads, a citizen supervisor.
			"unit head county":                  {Role: access.UnitHead, Unit: "county-hospital"},
			"unit head bureau (督办)":             {Role: access.UnitHead, Unit: "bureau", Today: "2026-04-01"},
			"unit head without a unit":          {Role: access.UnitHead},
			"department head 内科":                {Role: access.DeptHead, Unit: "county-hospital", Dept: "内科"},
			"department head 外科":                {Role: access.DeptHead, Unit: "county-hospital", Dept: "外科"},
			"department head of tcm 内科":         {Role: access.DeptHead, Unit: "tcm-hospital", Dept: "内科"},
			"department head without a 科室":      {Role: access.DeptHead, Unit: "county-hospital"},
			"monitor of two units":              {Role: access.Monitor, Linked: []string{"county-hospital", "tcm-hospital"}},
			"monitor told it reads the mailbox": {Role: access.Monitor, Mailboxes: []string{"director"}},
			"department head reading a mailbox": {Role: access.DeptHead, Unit: "qingshan-thc", Dept: "内科", Mailboxes: []string{hospitalBox}},
			// Configured by hand, beyond what storage allows: the rules must still agree.
			"reviewer told it reads the discipline mailbox": {Role: access.Reviewer, Mailboxes: []string{"discipline", "vanished"}},
			"discipline reading the hospital's mailbox":     {Role: access.Discipline, Mailboxes: []string{hospitalBox}},
			"named liaison of qingshan":                     {Role: access.Liaison, Unit: "qingshan-thc", Mailboxes: []string{hospitalBox}},
		}
		// Everyone as storage configures them: the mailboxes their role reads.
		for name, v := range viewers {
			if v.Mailboxes == nil {
				v.Mailboxes = mustReadBy(t, s, 0, v.Role)
				viewers[name] = v
			}
		}
		// Branch administrators (#15): limited to the subtree of one unit, as a session loads them.
		for name, root := range map[string]string{"branch admin county-hospital": "county-hospital",
			"branch admin qingshan": "qingshan-thc", "branch admin of the whole tree (bureau)": "bureau"} {
			units, err := s.Subtree(ctx, root)
			if err != nil {
				t.Fatal(err)
			}
			viewers[name] = access.Viewer{Role: access.Admin, Branch: root, BranchUnits: units,
				Mailboxes: mustReadBy(t, s, 0, access.Admin)}
		}
		viewers["branch admin whose branch is gone"] = access.Viewer{Role: access.Admin, Branch: "gone",
			Mailboxes: mustReadBy(t, s, 0, access.Admin)}
		viewers["the president, by name"] = access.Viewer{Role: access.Leader, Linked: []string{"tcm-hospital"},
			Mailboxes: mustReadBy(t, s, president.ID, access.Leader)}
		wantSeen := map[string]int{
			"department head 内科":                3, // its own, the letter handed over, tcm's leadership led by them
			"department head 外科":                1,
			"department head of tcm 内科":         1,
			"department head without a 科室":      0,
			"monitor of two units":              0,
			"monitor told it reads the mailbox": 0,
			"unit head without a unit":          0,
			// Branch administrators: their units' opinions an administrator sees, never 举报.
			"branch admin county-hospital":      11, // 1, 2, 3, 10, 13, 24–27, 31, 32 of the fixtures
			"branch admin qingshan":             2,  // the praise and the overdue 内科 complaint; its 举报 never
			"branch admin whose branch is gone": 0,
		}
		for name, v := range viewers {
			t.Run(name, func(t *testing.T) {
				var want, got []string
				for id, f := range facts {
					if v.CanSee(f) {
						want = append(want, id)
					}
				}
				err := s.EachOpinion(ctx, OpinionFilter{Scope: &v}, func(o Opinion) error {
					got = append(got, o.ID)
					if !v.CanSee(storedFacts(t, s, o)) {
						t.Errorf("listed %s, which access says is hidden", o.ID)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				// The rules of #16 are not vacuous: the heads see their share, monitors nothing.
				if n, ok := wantSeen[name]; ok && len(want) != n {
					t.Errorf("access lets %s see %d opinions, want %d", name, len(want), n)
				}
				sort.Strings(want)
				sort.Strings(got)
				if len(got) != len(want) {
					t.Fatalf("listed %v, want %v", got, want)
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("listed %v, want %v", got, want)
					}
				}
			})
		}
	})
}

// mustReadBy is MailboxesReadBy or a failed test.
func mustReadBy(t *testing.T, s *Store, userID int64, role string) []string {
	t.Helper()
	codes, err := s.MailboxesReadBy(context.Background(), userID, role)
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

// storedFacts is what access needs of an opinion, as handlers get it (Store.Facts, which
// reads the mailbox's discipline flag).
func storedFacts(t *testing.T, s *Store, o Opinion) access.Facts {
	t.Helper()
	f, err := s.Facts(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// factsOf is what access needs of an opinion in no mailbox; for letters in a mailbox use
// storedFacts, which knows whether the mailbox is a discipline one.
func factsOf(o Opinion) access.Facts {
	return access.Facts{Type: o.Type, UnitCode: o.UnitCode, Dept: o.Dept, LeadUnit: o.LeadUnit, LeadParent: o.LeadParent,
		AboutLeadership: o.AboutLeadership, Status: o.Status, Deadline: o.Deadline, Mailbox: o.MailboxCode,
		TargetKind: o.Target.Kind, TargetPost: o.Target.Post, TargetBadge: o.Target.Badge}
}
