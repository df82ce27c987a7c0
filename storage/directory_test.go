package storage

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDirectoryContacts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustCreateUser(t, s, "admin", RoleAdmin)
		empty, err := s.DirectoryContacts(ctx)
		if err != nil || empty != (Contacts{}) {
			t.Fatalf("fresh contacts = %+v, %v; want empty", empty, err)
		}
		want := Contacts{ComplaintPhone: "0816-1234567", ReportPhone: "0816-12345678", SupervisionPhone: "12320",
			Email: "xinxiang@example.gov.cn", Hours: "工作日 8:30–17:30"}
		if err := s.SetDirectoryContacts(ctx, admin.ID, want); err != nil {
			t.Fatal(err)
		}
		got, err := s.DirectoryContacts(ctx)
		if err != nil || got != want {
			t.Errorf("contacts = %+v, %v; want %+v", got, err, want)
		}
		if n := countRows(t, s, "audit_log", "action = 'directory' AND user_id = ?", admin.ID); n != 1 {
			t.Errorf("audit rows = %d, want 1", n)
		}
		if err := s.SetDirectoryContacts(ctx, admin.ID, Contacts{Email: strings.Repeat("a", 101)}); err == nil {
			t.Error("a 101-character address was stored")
		}
	})
}

func TestUnitDirectory(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		admin := mustCreateUser(t, s, "admin", RoleAdmin)
		entry := UnitDirectory{UnitCode: "county-hospital", LiaisonPost: "院办公室主任", LiaisonPhone: "0816-7654321",
			Commitments: []string{"首诊负责制：首位接诊医生负责到底。", "限时办结：投诉5个工作日内答复。"}}
		if err := s.SetUnitDirectory(ctx, admin.ID, entry); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			edit UnitDirectory
			want error
		}{
			{"an unknown unit", UnitDirectory{UnitCode: "nowhere", LiaisonPost: "x"}, ErrNotFound},
			{"an empty item", UnitDirectory{UnitCode: "county-hospital", Commitments: []string{" "}}, ErrInvalid},
			{"too many items", UnitDirectory{UnitCode: "county-hospital", Commitments: make([]string, MaxCommitments+1)}, ErrInvalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.SetUnitDirectory(ctx, admin.ID, tc.edit); !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			})
		}
		// Reordered and shortened: the stored list is the new one, in its order.
		entry.Commitments = []string{entry.Commitments[1], "服务承诺：微笑服务。", entry.Commitments[0]}
		if err := s.SetUnitDirectory(ctx, admin.ID, entry); err != nil {
			t.Fatal(err)
		}
		all, err := s.UnitDirectories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(all, func(d UnitDirectory) bool { return d.UnitCode == "county-hospital" })
		if i < 0 || all[i].LiaisonPost != "院办公室主任" || !slices.Equal(all[i].Commitments, entry.Commitments) {
			t.Errorf("county-hospital entry = %+v", all[i])
		}
		j := slices.IndexFunc(all, func(d UnitDirectory) bool { return d.UnitCode == "tcm-hospital" })
		if j < 0 || !all[j].Empty() {
			t.Errorf("tcm-hospital entry = %+v, want listed and empty", all)
		}
		if n := countRows(t, s, "audit_log", "action = 'directory'"); n != 2 {
			t.Errorf("audit rows = %d, want 2 (the refusals audit nothing)", n)
		}
	})
}

func TestPublicSites(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		st, err := s.AddSite(ctx, NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F", UnitCode: "county-hospital", Dept: "挂号处"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSite(ctx, NewSite{Name: "旧楼意见箱", UnitCode: "county-hospital"}); err != nil {
			t.Fatal(err)
		}
		sites, _ := s.Sites(ctx)
		for _, x := range sites {
			if x.Name == "旧楼意见箱" {
				if err := s.SetSiteActive(ctx, 0, x.Code, false); err != nil {
					t.Fatal(err)
				}
			}
		}
		got, err := s.PublicSites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []PublicSite{{Name: st.Name, UnitName: "县人民医院", Dept: "挂号处", Place: "门诊楼 · 1F"}}
		if !slices.Equal(got, want) {
			t.Errorf("PublicSites = %+v, want %+v (the retired site left out)", got, want)
		}
	})
}
