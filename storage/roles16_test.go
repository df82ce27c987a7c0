package storage

import (
	"context"
	"errors"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

// mustHead adds a staff member of the roles of #16 and returns their id.
func mustHead(t *testing.T, s *Store, n NewUser) int64 {
	t.Helper()
	n.Password = "correct horse battery"
	u, err := s.CreateScopedUser(context.Background(), 0, n)
	if err != nil {
		t.Fatalf("CreateScopedUser(%+v): %v", n, err)
	}
	return u.ID
}

// TestNewRoleAccounts: which of the new roles need a unit, a 科室 or units, and who may hold
// the conduct record.
func TestNewRoleAccounts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		tests := []struct {
			name string
			n    NewUser
			ok   bool
		}{
			{"unit head with a unit", NewUser{Username: "院长", Role: access.UnitHead, Unit: "county-hospital"}, true},
			{"unit head without a unit", NewUser{Username: "院长2", Role: access.UnitHead}, false},
			{"unit head with a 科室", NewUser{Username: "院长3", Role: access.UnitHead, Unit: "county-hospital", Dept: "内科"}, false},
			{"department head", NewUser{Username: "内科主任", Role: access.DeptHead, Unit: "county-hospital", Dept: "内科"}, true},
			{"department head without a 科室", NewUser{Username: "主任2", Role: access.DeptHead, Unit: "county-hospital"}, false},
			{"department head without a unit", NewUser{Username: "主任3", Role: access.DeptHead, Dept: "内科"}, false},
			{"monitor with units", NewUser{Username: "监督员", Role: access.Monitor, Linked: []string{"county-hospital", "tcm-hospital"}}, true},
			{"monitor with a unit of their own", NewUser{Username: "监督员2", Role: access.Monitor, Unit: "county-hospital"}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.n.Password = "correct horse battery"
				u, err := s.CreateScopedUser(ctx, 0, tt.n)
				if tt.ok != (err == nil) {
					t.Fatalf("CreateScopedUser: %v, want ok %v", err, tt.ok)
				}
				if !tt.ok {
					if !errors.Is(err, ErrInvalid) {
						t.Fatalf("refusal %v is not ErrInvalid", err)
					}
					return
				}
				all, err := s.Users(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, got := range all {
					if got.ID == u.ID && (got.Dept != tt.n.Dept || got.Unit != tt.n.Unit || len(got.Linked) != len(tt.n.Linked)) {
						t.Fatalf("stored %+v, want %+v", got, tt.n)
					}
				}
			})
		}
		monitor := mustHead(t, s, NewUser{Username: "监督员丙", Role: access.Monitor, Linked: []string{"bureau"}})
		if err := s.SetConductReader(ctx, 0, monitor, true); !errors.Is(err, ErrInvalid) {
			t.Errorf("conduct record granted to a citizen supervisor: %v", err)
		}
		head := mustHead(t, s, NewUser{Username: "科长", Role: access.UnitHead, Unit: "bureau"})
		if err := s.SetConductReader(ctx, 0, head, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetLinkedUnits(ctx, 0, monitor, []string{"tcm-hospital"}); err != nil {
			t.Errorf("a citizen supervisor's units cannot be changed: %v", err)
		}
		var n int
		if err := s.read.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'conduct_grant' AND detail = '科长'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("conduct_grant audited %d times (%v), want 1", n, err)
		}
	})
}

// TestMonitorSubmissionIsLinkedApart: a citizen supervisor's opinion names nobody on its row
// and in the audit log; the link is read for that person alone, with the steps and their days.
func TestMonitorSubmissionIsLinkedApart(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		me := mustHead(t, s, NewUser{Username: "监督员甲", Role: access.Monitor, Linked: []string{"county-hospital"}})
		other := mustHead(t, s, NewUser{Username: "监督员乙", Role: access.Monitor, Linked: []string{"county-hospital"}})
		id := mustCreateOpinion(t, s, NewOpinion{Submitter: MonitorSubmitter, Content: "门诊收费处中午无人值守", MonitorID: me})
		mustCreateOpinion(t, s, NewOpinion{Content: "别人的意见，与监督员无关"})
		var audited int
		if err := s.read.QueryRow(`SELECT count(*) FROM audit_log WHERE opinion_id = ? OR user_id = ?`, id, me).Scan(&audited); err != nil || audited != 0 {
			t.Fatalf("the submission left %d audit entries (%v): it would tie the account to the opinion", audited, err)
		}
		o, err := s.Opinion(ctx, id)
		if err != nil || o.Submitter != MonitorSubmitter {
			t.Fatalf("stored %+v (%v), want submitter monitor", o, err)
		}
		walkTo(t, s, id, lifecycle.Rectifying)
		items, err := s.MonitorItems(ctx, me)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].ID != id || items[0].Status != lifecycle.Rectifying || items[0].Content != "门诊收费处中午无人值守" {
			t.Fatalf("MonitorItems = %+v, want the one opinion, 整改中", items)
		}
		if st := items[0].Steps; len(st) != 3 || st[0].From != lifecycle.Received || st[2].To != lifecycle.Rectifying || st[2].Day != "2026-04-01" {
			t.Fatalf("steps = %+v, want received→triaged→assigned→rectifying on 2026-04-01 (China time)", st)
		}
		if items[0].Deadline != "2030-01-01" {
			t.Errorf("deadline = %q", items[0].Deadline)
		}
		if theirs, err := s.MonitorItems(ctx, other); err != nil || len(theirs) != 0 {
			t.Fatalf("another supervisor sees %+v (%v)", theirs, err)
		}
		// The link table keeps no time (on either engine) and, on SQLite, no rowid.
		if cols := strings.Join(tableColumns(t, s)["monitor_opinions"], " "); cols != "user_id opinion_id" {
			t.Errorf("monitor_opinions has the columns %q, want user_id and opinion_id alone", cols)
		}
		if s.Backend() != "sqlite" {
			return
		}
		var ddl string
		if err := s.read.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'monitor_opinions'`).Scan(&ddl); err != nil {
			t.Fatal(err)
		}
		if !containsAll(ddl, "WITHOUT ROWID") || containsAll(ddl, "_at") || containsAll(ddl, "_on") {
			t.Errorf("monitor_opinions: %s", ddl)
		}
	})
}

// containsAll reports whether s holds every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		found := false
		for i := 0; i+len(p) <= len(s); i++ {
			if s[i:i+len(p)] == p {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// TestMonitorBoard: the published work of the assigned units, with its steps and check; not
// that of other units.
func TestMonitorBoard(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		mine := mustCreateOpinion(t, s, NewOpinion{UnitCode: "county-hospital"})
		walkTo(t, s, mine, lifecycle.LookBack)
		if err := s.Publish(ctx, 0, mine, "门诊排队时间长", "增开窗口", "已增开两个窗口"); err != nil {
			t.Fatal(err)
		}
		theirs := mustCreateOpinion(t, s, NewOpinion{UnitCode: "tcm-hospital"})
		step := fullStep(lifecycle.Triaged, "")
		if err := s.Transition(ctx, 0, theirs, step); err != nil {
			t.Fatal(err)
		}
		step = fullStep(lifecycle.Assigned, "")
		step.LeadUnit = "tcm-hospital"
		if err := s.Transition(ctx, 0, theirs, step); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, 0, theirs, "中医院停车难", "划线", ""); err != nil {
			t.Fatal(err)
		}
		got, err := s.MonitorBoard(ctx, []string{"county-hospital"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].OpinionID != mine || got[0].Checked != lifecycle.CheckVerified || len(got[0].Steps) != 5 {
			t.Fatalf("MonitorBoard = %+v, want the county hospital's item, verified, 5 steps", got)
		}
		if none, err := s.MonitorBoard(ctx, nil); err != nil || none != nil {
			t.Fatalf("no units: %+v %v", none, err)
		}
	})
}

// TestAccountabilityRecords: a record needs the 追责 mark; bad fields are refused; 举报 are
// discipline's; counts by measure.
func TestAccountabilityRecords(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		plain := mustCreateOpinion(t, s, NewOpinion{})
		report := mustCreateOpinion(t, s, NewOpinion{Type: access.ReportType})
		rec := NewAccountability{OpinionID: plain, DecidedBy: "局党组", Measure: "talk", DecidedOn: "2026-03-20", DocNo: "卫党〔2026〕3号"}
		if _, err := s.AddAccountability(ctx, 0, rec); !errors.Is(err, ErrNotFlagged) {
			t.Fatalf("unmarked: %v, want ErrNotFlagged", err)
		}
		for _, id := range []string{plain, report} {
			if err := s.SetFlags(ctx, 0, id, Flags{Accountability: true}); err != nil {
				t.Fatal(err)
			}
		}
		bad := []NewAccountability{
			{OpinionID: plain, DecidedBy: "", Measure: "talk", DecidedOn: "2026-03-20"},
			{OpinionID: plain, DecidedBy: "局党组", Measure: "fine", DecidedOn: "2026-03-20"},
			{OpinionID: plain, DecidedBy: "局党组", Measure: "talk", DecidedOn: "2026-3-20"},
		}
		for _, b := range bad {
			if _, err := s.AddAccountability(ctx, 0, b); !errors.Is(err, ErrInvalid) {
				t.Errorf("%+v: %v, want ErrInvalid", b, err)
			}
		}
		if _, err := s.AddAccountability(ctx, 0, NewAccountability{OpinionID: "nosuch", DecidedBy: "x", Measure: "talk", DecidedOn: "2026-03-20"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown opinion: %v", err)
		}
		for _, r := range []NewAccountability{rec,
			{OpinionID: plain, DecidedBy: "院党委", Measure: "admonish", DecidedOn: "2026-03-25"},
			{OpinionID: report, DecidedBy: "县纪委", Measure: "referral", DecidedOn: "2026-03-26"},
			{OpinionID: plain, DecidedBy: "局党组", Measure: "talk", DecidedOn: "2026-02-10"}} {
			if _, err := s.AddAccountability(ctx, 0, r); err != nil {
				t.Fatal(err)
			}
		}
		office, err := s.AccountabilityRecords(ctx, "", false)
		if err != nil || len(office) != 3 {
			t.Fatalf("the administrators' list = %+v (%v), want the 3 not about a 举报", office, err)
		}
		all, err := s.AccountabilityRecords(ctx, "", true)
		if err != nil || len(all) != 4 || all[0].DecidedOn != "2026-03-26" {
			t.Fatalf("discipline's list = %+v (%v), want 4, newest first", all, err)
		}
		counts, err := s.AccountabilityCounts(ctx, "2026-03-01", "2026-04-02", "", false)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"talk": 1, "education": 0, "notice": 0, "admonish": 1, "organisational": 0, "referral": 0}
		for m, n := range want {
			if counts[m] != n {
				t.Errorf("March, office: %s = %d, want %d", m, counts[m], n)
			}
		}
		if withSecret, _ := s.AccountabilityCounts(ctx, "2026-03-01", "2026-04-02", "", true); withSecret["referral"] != 1 {
			t.Errorf("March, discipline: referral = %d, want 1", withSecret["referral"])
		}
		if other, _ := s.AccountabilityCounts(ctx, "2026-03-01", "2026-04-02", "tcm-hospital", true); other["talk"]+other["referral"] != 0 {
			t.Errorf("another unit counts %v", other)
		}
		var audited int
		if err := s.read.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'accountability_add'`).Scan(&audited); err != nil || audited != 4 {
			t.Errorf("accountability_add audited %d times (%v), want 4", audited, err)
		}
	})
}

// TestConductRecord: verified items only, per month; a badge's record; the switches; every
// reading audited.
func TestConductRecord(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		set, err := s.ConductSettings(ctx)
		if err != nil || set.Enabled || set.Badges {
			t.Fatalf("settings %+v (%v), want off by default", set, err)
		}
		if err := s.SetConductSettings(ctx, 0, ConductSettings{Badges: true}); err != nil {
			t.Fatal(err)
		}
		if set, _ := s.ConductSettings(ctx); set.Badges {
			t.Fatal("the badge record is on while the record is off")
		}
		in := func(n NewOpinion) string {
			n.UnitCode, n.Dept = "county-hospital", "内科"
			return mustCreateOpinion(t, s, n)
		}
		in(NewOpinion{Type: "praise"})                                                               // counted
		rejected := in(NewOpinion{Type: "praise"})                                                   // rejected: not counted
		in(NewOpinion{Type: "complaint"})                                                            // unverified: never counted
		verified := in(NewOpinion{Type: "complaint"})                                                // passed 核验: counted
		unfounded := in(NewOpinion{Type: "complaint"})                                               // 核验 but 查无实据: not counted
		substantiated := in(NewOpinion{Type: access.ReportType})                                     // 举报属实: counted
		in(NewOpinion{Type: access.ReportType})                                                      // 举报 not found true: not counted
		mustCreateOpinion(t, s, NewOpinion{Type: "praise", UnitCode: "county-hospital", Dept: "外科"}) // another 科室
		walkTo(t, s, rejected, lifecycle.Rejected)
		walkTo(t, s, verified, lifecycle.LookBack)
		walkTo(t, s, unfounded, lifecycle.LookBack)
		if err := s.SetFlags(ctx, 0, unfounded, Flags{Unfounded: true}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetFlags(ctx, 0, substantiated, Flags{Substantiated: true}); err != nil {
			t.Fatal(err)
		}
		reader := mustHead(t, s, NewUser{Username: "考评员", Role: access.Reviewer})
		months, err := s.ConductRecord(ctx, reader, ConductSubject{Unit: "county-hospital", Dept: "内科"}, "2026-03", "2026-04")
		if err != nil {
			t.Fatal(err)
		}
		// The store's clock says 2026-03-31 17:30 UTC: 1 April in China, the day opinions keep.
		want := []ConductMonth{{Month: "2026-03"}, {Month: "2026-04", Praise: 1, Complaints: 1, Reports: 1}}
		if len(months) != 2 || months[0] != want[0] || months[1] != want[1] {
			t.Fatalf("record = %+v, want %+v", months, want)
		}
		badge := mustCreateOpinion(t, s, NewOpinion{Type: "praise", UnitCode: "county-hospital",
			Target: Target{Kind: "staff", Badge: "A0123"}})
		_ = badge
		byBadge, err := s.ConductRecord(ctx, reader, ConductSubject{Unit: "county-hospital", Badge: "A0123"}, "2026-04", "2026-04")
		if err != nil || len(byBadge) != 1 || byBadge[0].Praise != 1 {
			t.Fatalf("badge record = %+v (%v), want one praise", byBadge, err)
		}
		var audited int
		if err := s.read.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'conduct_view' AND user_id = ?`, reader).Scan(&audited); err != nil || audited != 2 {
			t.Errorf("conduct_view audited %d times (%v), want 2", audited, err)
		}
	})
}

// TestHeadsReceiveNotices: the unit head and the head of the 科室 named hear of work handed to
// their unit; not another 科室's head, and neither for work about the unit's own leadership.
func TestHeadsReceiveNotices(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		liaison := mustUser(t, s, "联络员", access.Liaison, "county-hospital")
		unitHead := mustHead(t, s, NewUser{Username: "院长", Role: access.UnitHead, Unit: "county-hospital"})
		internal := mustHead(t, s, NewUser{Username: "内科主任", Role: access.DeptHead, Unit: "county-hospital", Dept: "内科"})
		mustHead(t, s, NewUser{Username: "外科主任", Role: access.DeptHead, Unit: "county-hospital", Dept: "外科"})
		bureauHead := mustHead(t, s, NewUser{Username: "局长", Role: access.UnitHead, Unit: "bureau"})
		mustHead(t, s, NewUser{Username: "监督员", Role: access.Monitor, Linked: []string{"county-hospital"}})
		plain := mustCreateOpinion(t, s, NewOpinion{Dept: "内科"})
		own := mustCreateOpinion(t, s, NewOpinion{Dept: "内科", AboutLeadership: true})
		cases := []struct {
			name string
			ev   Event
			want []int64
		}{
			{"assigned: liaison, unit head, the 科室's head", Event{Kind: EventAssigned, OpinionID: plain, Unit: "county-hospital"},
				[]int64{liaison, unitHead, internal}},
			{"overdue: also the parent's unit head (督办)", Event{Kind: EventOverdue, OpinionID: plain, Unit: "county-hospital"},
				[]int64{liaison, unitHead, internal, bureauHead}},
			{"about the unit's own leadership: no head of it", Event{Kind: EventDeadlineSoon, OpinionID: own, Unit: "county-hospital"},
				[]int64{liaison}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				mustQueue(t, s, c.ev, "")
				got := inboxOwners(t, s, c.ev.Kind)
				if len(got) != len(c.want) {
					t.Fatalf("inbox of %s = %v, want %v", c.ev.Kind, got, c.want)
				}
				for i := range got {
					if got[i] != c.want[i] {
						t.Fatalf("inbox of %s = %v, want %v", c.ev.Kind, got, c.want)
					}
				}
			})
		}
		_ = ctx
	})
}

// TestMonitorReadsNoMailbox: no mailbox can name the citizen supervisor as a reader role.
func TestMonitorReadsNoMailbox(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		_, err := s.CreateMailbox(context.Background(), 0, MailboxEdit{Name: "监督员信箱", UnitCode: "county-hospital",
			ReaderRoles: []string{access.Monitor}})
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("a mailbox read by citizen supervisors: %v, want ErrInvalid", err)
		}
	})
}
