package storage

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// unitWorld is a fresh store with an administrator, a department under the county hospital
// and a retired unit, so every rule about parents has something to bite on.
func unitWorld(t *testing.T, b backend) (*Store, User) {
	t.Helper()
	s := b.mustOpen(t)
	ctx := context.Background()
	admin, err := s.CreateUser(ctx, 0, "admin", "a long password here", RoleAdmin)
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	mustCreateUnit(t, s, NewUnit{Code: "chh-neike", Name: "内科", ParentCode: "county-hospital", Kind: UnitDept})
	mustCreateUnit(t, s, NewUnit{Code: "old-clinic", Name: "旧门诊部", ParentCode: "bureau", Kind: UnitCounty})
	if err := s.SetUnitActive(ctx, 0, "old-clinic", false); err != nil {
		t.Fatalf("retire old-clinic: %v", err)
	}
	return s, admin
}

func mustCreateUnit(t *testing.T, s *Store, n NewUnit) {
	t.Helper()
	if err := s.CreateUnit(context.Background(), 0, n); err != nil {
		t.Fatalf("CreateUnit(%+v): %v", n, err)
	}
}

// unitCodes returns the codes of Units(), the public form's list.
func unitCodes(t *testing.T, s *Store) []string {
	t.Helper()
	units, err := s.Units(context.Background())
	if err != nil {
		t.Fatalf("Units: %v", err)
	}
	var codes []string
	for _, u := range units {
		codes = append(codes, u.Code)
	}
	return codes
}

func listed(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// lastAudit returns the newest audit row.
func lastAudit(t *testing.T, s *Store) AuditEntry {
	t.Helper()
	rows, err := s.RecentAudit(context.Background(), 1)
	if err != nil || len(rows) != 1 {
		t.Fatalf("RecentAudit: %v, %v", rows, err)
	}
	return rows[0]
}

func TestCreateUnit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		tests := []struct {
			name     string
			unit     NewUnit
			wantErr  error // nil: created
			inPublic bool  // listed by Units() afterwards
		}{
			{"township health centre", NewUnit{"dongshan-thc", "东山镇卫生院", "bureau", UnitTownship}, nil, true},
			{"village clinic under a township", NewUnit{"dongcun", "东村卫生室", "chengguan-thc", UnitVillage}, nil, true},
			{"unit without a parent", NewUnit{"minkang", "民康医院", "", UnitPrivate}, nil, true},
			{"code and name trimmed", NewUnit{" sec-1 ", " 医政股 ", "bureau", UnitSection}, nil, true},
			{"department", NewUnit{"chh-waike", "外科", "county-hospital", UnitDept}, nil, false},
			{"duplicate code", NewUnit{"county-hospital", "另一个医院", "bureau", UnitCounty}, ErrUnitCodeTaken, false},
			{"code of a retired unit", NewUnit{"old-clinic", "新门诊部", "bureau", UnitCounty}, ErrUnitCodeTaken, false},
			{"duplicate name", NewUnit{"tcm-2", "县中医院", "bureau", UnitCounty}, ErrUnitNameTaken, false},
			{"duplicate department in its unit", NewUnit{"chh-neike-2", "内科", "county-hospital", UnitDept}, ErrUnitNameTaken, false},
			{"department under a department", NewUnit{"chh-neike-1", "心内科", "chh-neike", UnitDept}, ErrInvalid, false},
			{"unit under a department", NewUnit{"chh-x", "某中心", "chh-neike", UnitCounty}, ErrInvalid, false},
			{"department without a unit", NewUnit{"loose", "游离科室", "", UnitDept}, ErrInvalid, false},
			{"unknown parent", NewUnit{"lost", "某卫生院", "no-such-unit", UnitTownship}, ErrInvalid, false},
			{"retired parent", NewUnit{"under-old", "旧门诊部二部", "old-clinic", UnitCounty}, ErrInvalid, false},
			{"code with capitals and a space", NewUnit{"A B", "某单位", "bureau", UnitCounty}, ErrInvalid, false},
			{"code with an underscore", NewUnit{"a_b", "某单位", "bureau", UnitCounty}, ErrInvalid, false},
			{"code too long", NewUnit{strings.Repeat("a", 41), "某单位", "bureau", UnitCounty}, ErrInvalid, false},
			{"empty code", NewUnit{"", "某单位", "bureau", UnitCounty}, ErrInvalid, false},
			{"empty name", NewUnit{"some", "  ", "bureau", UnitCounty}, ErrInvalid, false},
			{"name too long", NewUnit{"some", strings.Repeat("院", MaxUnitName+1), "bureau", UnitCounty}, ErrInvalid, false},
			{"name with a newline", NewUnit{"some", "某\n单位", "bureau", UnitCounty}, ErrInvalid, false},
			{"unknown kind", NewUnit{"some", "某单位", "bureau", "hospital"}, ErrInvalid, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				s, admin := unitWorld(t, b)
				ctx := context.Background()
				before := countRows(t, s, "audit_log", "")
				unitCodes(t, s) // fill the cache: the change must reach Units() through forgetUnits
				err := s.CreateUnit(ctx, admin.ID, tt.unit)
				code := strings.TrimSpace(tt.unit.Code)
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("CreateUnit(%+v) = %v, want %v", tt.unit, err, tt.wantErr)
					}
					if got := countRows(t, s, "audit_log", ""); got != before {
						t.Errorf("a refused unit wrote %d audit rows", got-before)
					}
					if code != "county-hospital" && code != "old-clinic" && countRows(t, s, "units", "code = ?", code) != 0 {
						t.Errorf("refused unit %q was stored", code)
					}
					return
				}
				if err != nil {
					t.Fatalf("CreateUnit(%+v): %v", tt.unit, err)
				}
				if got := listed(unitCodes(t, s), code); got != tt.inPublic {
					t.Errorf("%q in Units() = %v, want %v", code, got, tt.inPublic)
				}
				a := lastAudit(t, s)
				if a.Action != "unit_add" || a.Detail != code || a.Username != "admin" {
					t.Errorf("audit row = %+v, want unit_add %s by admin", a, code)
				}
			})
		}
	})
}

// Ensure a department's name need only be unique within its unit: every hospital has a 内科.
func TestDepartmentNamesAreScopedToTheirUnit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, _ := unitWorld(t, b)
		ctx := context.Background()
		mustCreateUnit(t, s, NewUnit{Code: "tcm-neike", Name: "内科", ParentCode: "tcm-hospital", Kind: UnitDept})
		mustCreateUnit(t, s, NewUnit{Code: "tcm-waike", Name: "外科", ParentCode: "tcm-hospital", Kind: UnitDept})
		if err := s.RenameUnit(ctx, 0, "tcm-waike", "内科"); !errors.Is(err, ErrUnitNameTaken) {
			t.Errorf("rename to a sibling department's name = %v, want ErrUnitNameTaken", err)
		}
		if err := s.RenameUnit(ctx, 0, "tcm-waike", "县中医院"); err != nil {
			t.Errorf("a department may share its unit's name: %v", err)
		}
	})
}

func TestRenameUnit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		tests := []struct {
			name, code, newName string
			wantErr             error
		}{
			{"new name", "county-hospital", "县人民医院（新院区）", nil},
			{"same name again", "county-hospital", "县人民医院", nil},
			{"department", "chh-neike", "消化内科", nil},
			{"retired unit", "old-clinic", "原门诊部", nil},
			{"name of another unit", "county-hospital", "县中医院", ErrUnitNameTaken},
			{"unknown code", "no-such-unit", "某单位", ErrNotFound},
			{"empty name", "county-hospital", " ", ErrInvalid},
			{"name too long", "county-hospital", strings.Repeat("院", MaxUnitName+1), ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				s, admin := unitWorld(t, b)
				ctx := context.Background()
				unitCodes(t, s)
				err := s.RenameUnit(ctx, admin.ID, tt.code, tt.newName)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("RenameUnit(%q, %q) = %v, want %v", tt.code, tt.newName, err, tt.wantErr)
				}
				if tt.wantErr != nil {
					if a := lastAudit(t, s); a.Action == "unit_rename" {
						t.Errorf("a refused rename was audited: %+v", a)
					}
					return
				}
				var name string
				s.read.QueryRow(`SELECT name FROM units WHERE code = ?`, tt.code).Scan(&name)
				if name != tt.newName {
					t.Errorf("name = %q, want %q", name, tt.newName)
				}
				if a := lastAudit(t, s); a.Action != "unit_rename" || !strings.HasPrefix(a.Detail, tt.code+": ") {
					t.Errorf("audit row = %+v, want unit_rename starting with the code", a)
				}
				if tt.code == "county-hospital" {
					units, _ := s.Units(ctx)
					if units[1].Name != tt.newName {
						t.Errorf("Units() still shows %q after the rename", units[1].Name)
					}
				}
			})
		}
	})
}

// Ensure retiring takes a unit off the public list at once and keeps its opinions, and that an
// active unit always has an active parent.
func TestSetUnitActive(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, admin := unitWorld(t, b)
		ctx := context.Background()
		id := mustCreateOpinion(t, s, NewOpinion{UnitCode: "qingshan-thc", Content: "乡卫生院的意见"})
		unitCodes(t, s)
		steps := []struct {
			name       string
			code       string
			active     bool
			wantErr    error
			wantAction string // the audit row written, "" for none
			wantPublic bool   // listed in Units() afterwards
		}{
			{"retire", "qingshan-thc", false, nil, "unit_retire", false},
			{"retire again changes nothing", "qingshan-thc", false, nil, "", false},
			{"restore", "qingshan-thc", true, nil, "unit_restore", true},
			{"retire a unit with a department", "county-hospital", false, ErrUnitHasChildren, "", true},
			{"retire the department", "chh-neike", false, nil, "unit_retire", false},
			{"then its unit", "county-hospital", false, nil, "unit_retire", false},
			{"restore a department under a retired unit", "chh-neike", true, ErrUnitParentRetired, "", false},
			{"restore the unit", "county-hospital", true, nil, "unit_restore", true},
			{"retire the bureau with units under it", "bureau", false, ErrUnitHasChildren, "", true},
			{"unknown unit", "no-such-unit", false, ErrNotFound, "", false},
		}
		for _, st := range steps {
			before := countRows(t, s, "audit_log", "")
			err := s.SetUnitActive(ctx, admin.ID, st.code, st.active)
			if !errors.Is(err, st.wantErr) {
				t.Fatalf("%s: SetUnitActive(%q, %v) = %v, want %v", st.name, st.code, st.active, err, st.wantErr)
			}
			if st.wantAction == "" {
				if got := countRows(t, s, "audit_log", ""); got != before {
					t.Errorf("%s: wrote %d audit rows, want none", st.name, got-before)
				}
			} else if a := lastAudit(t, s); a.Action != st.wantAction || a.Detail != st.code || a.Username != "admin" {
				t.Errorf("%s: audit row = %+v, want %s %s by admin", st.name, a, st.wantAction, st.code)
			}
			if got := listed(unitCodes(t, s), st.code); got != st.wantPublic {
				t.Errorf("%s: %q in Units() = %v, want %v", st.name, st.code, got, st.wantPublic)
			}
			if st.name == "retire" {
				o, err := s.Opinion(ctx, id)
				if err != nil || o.UnitName != "青山乡卫生院" {
					t.Errorf("opinion of a retired unit: %+v, %v; want it readable with its unit's name", o, err)
				}
				if n, _ := s.ListOpinions(ctx, OpinionFilter{UnitCode: "qingshan-thc"}, Cursor{}, 10); len(n.Opinions) != 1 {
					t.Errorf("queue filtered by the retired unit lists %d opinions, want 1", len(n.Opinions))
				}
			}
		}
	})
}

// Ensure AllUnits lists every unit, retired too, parents before children and children by
// sort order then name, with depth and kind.
func TestAllUnitsTreeOrder(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, _ := unitWorld(t, b)
		ctx := context.Background()
		mustCreateUnit(t, s, NewUnit{Code: "dongcun", Name: "东村卫生室", ParentCode: "chengguan-thc", Kind: UnitVillage})
		mustCreateUnit(t, s, NewUnit{Code: "chh-erke", Name: "儿科", ParentCode: "county-hospital", Kind: UnitDept})
		mustCreateUnit(t, s, NewUnit{Code: "minkang", Name: "民康医院", Kind: UnitPrivate})
		// Same sort order: the name decides.
		if _, err := s.write.Exec(`UPDATE units SET sort_order = 5 WHERE code IN ('chh-neike', 'chh-erke')`); err != nil {
			t.Fatal(err)
		}
		all, err := s.AllUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range all {
			active := ""
			if !n.Active {
				active = " retired"
			}
			got = append(got, strings.Repeat(".", n.Depth)+n.Code+" "+n.Kind+active)
		}
		want := []string{
			"bureau bureau",
			".county-hospital county",
			"..chh-erke dept", // 儿科 before 内科: byte order of the names
			"..chh-neike dept",
			".tcm-hospital county",
			".mch-hospital county",
			".chengguan-thc township",
			"..dongcun village",
			".qingshan-thc township",
			".old-clinic county retired",
			"minkang private",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("AllUnits() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// Ensure a unit whose parent is missing or in a loop (a hand edit) is still listed.
func TestTreeOrderKeepsOrphans(t *testing.T) {
	t.Parallel()
	flat := []UnitNode{
		{Unit: Unit{Code: "a", ParentCode: "b"}},
		{Unit: Unit{Code: "b", ParentCode: "a"}},
		{Unit: Unit{Code: "c", ParentCode: "gone"}},
		{Unit: Unit{Code: "d"}},
	}
	var got []string
	for _, n := range treeOrder(flat) {
		got = append(got, strings.Repeat(".", n.Depth)+n.Code)
	}
	want := []string{"c", "d", "a", ".b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("treeOrder = %v, want %v", got, want)
	}
}

// Ensure the database itself refuses what the code refuses, for writes made with the sqlite3
// shell.
func TestUnitConstraints(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, eng backend) {
		t.Parallel()
		s := eng.mustOpen(t)
		tests := []struct {
			name, sql string
		}{
			{"capital in the code", `INSERT INTO units (code, name) VALUES ('aB', 'x1')`},
			{"space in the code", `INSERT INTO units (code, name) VALUES ('a b', 'x2')`},
			{"unknown kind", `INSERT INTO units (code, name, kind) VALUES ('x3', 'x3', 'hospital')`},
			{"department without a parent", `INSERT INTO units (code, name, kind) VALUES ('x4', 'x4', 'dept')`},
			{"duplicate unit name", `INSERT INTO units (code, name) VALUES ('x5', '县中医院')`},
			{"empty name", `INSERT INTO units (code, name) VALUES ('x6', ' ')`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := s.write.Exec(tt.sql); err == nil {
					t.Errorf("%s was accepted", tt.sql)
				}
			})
		}
	})
}

// Ensure migration 0006 gives the default units their kinds and keeps every reference to
// units (opinions, liaisons, leaders' links, rectifications) intact.
// SQLite only: an upgrade from a schema before PostgreSQL's (its 0001 folds these migrations; TestFoldedPostgresMigrationsAreEmpty).
func TestUpgradeToUnitKindsKeepsData(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	db := openMigratedTo(t, path, "0005_rectification_and_roles.sql")
	ctx := context.Background()
	for _, q := range []string{
		`UPDATE units SET active = 0 WHERE code = 'mch-hospital'`,
		`INSERT INTO opinions (id, receipt_hash, type, unit_code, submitter, content, created_on)
			VALUES ('A', x'01', 'complaint', 'mch-hospital', 'patient', '旧数据', '2026-01-05')`,
		`INSERT INTO rectifications (opinion_id, lead_unit) VALUES ('A', 'tcm-hospital')`,
		`INSERT INTO users (username, password_hash, role, unit_code, created_at)
			VALUES ('lia', 'x', 'liaison', 'qingshan-thc', '2026-01-01T00:00:00Z')`,
		`INSERT INTO user_units (user_id, unit_code) SELECT id, 'bureau' FROM users WHERE username = 'lia'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s := openAt(t, path, fixedClock)
	all, err := s.AllUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, n := range all {
		kinds[n.Code] = n.Kind
		if n.Code == "mch-hospital" && n.Active {
			t.Errorf("retired unit came back active in the upgrade")
		}
	}
	want := map[string]string{"bureau": "bureau", "county-hospital": "county", "tcm-hospital": "county",
		"mch-hospital": "county", "chengguan-thc": "township", "qingshan-thc": "township"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds after upgrade = %v, want %v", kinds, want)
	}
	if o, err := s.Opinion(ctx, "A"); err != nil || o.UnitName != "县妇幼保健院" || o.LeadUnit != "tcm-hospital" {
		t.Errorf("opinion after upgrade: %+v, %v", o, err)
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("database after upgrade: %v", err)
	}
	// The references still point at the rebuilt table: a unit still used cannot vanish.
	if _, err := s.write.Exec(`DELETE FROM units WHERE code = 'qingshan-thc'`); err == nil {
		t.Errorf("a unit a liaison belongs to could be deleted after the upgrade")
	}
}
