package storage

import (
	"context"
	"errors"
	"testing"
)

func mustCreateSite(t *testing.T, s *Store, actorID int64, n NewSite) Site {
	t.Helper()
	st, err := s.CreateSite(context.Background(), actorID, n)
	if err != nil {
		t.Fatalf("CreateSite(%+v): %v", n, err)
	}
	return st
}

// TestSiteLifecycle: a site is registered, edited and retired, keeps its code throughout, and
// every change is in the audit log under the administrator's name.
func TestSiteLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, admin := unitWorld(t, b)
		ctx := context.Background()

		st := mustCreateSite(t, s, admin.ID, NewSite{Name: "门诊大厅意见箱", Building: "门诊楼", Floor: "1F",
			UnitCode: "county-hospital", Dept: "门诊部"})
		if len(st.Code) != 6 || !st.Active || st.UnitName == "" || st.Name != "门诊大厅意见箱" {
			t.Fatalf("created site = %+v; want a 6-character code, active, with its unit's name", st)
		}

		edit := NewSite{Name: "住院部三楼意见箱", Building: "住院部", Floor: "3F", Ward: "内科病区",
			UnitCode: "qingshan-thc", Dept: "内科"}
		if err := s.UpdateSite(ctx, admin.ID, st.Code, edit); err != nil {
			t.Fatalf("UpdateSite: %v", err)
		}
		got, err := s.Site(ctx, st.Code)
		if err != nil {
			t.Fatalf("Site: %v", err)
		}
		if got.Name != edit.Name || got.Building != edit.Building || got.Floor != edit.Floor || got.Ward != edit.Ward ||
			got.UnitCode != edit.UnitCode || got.Dept != edit.Dept || got.Code != st.Code {
			t.Fatalf("after UpdateSite got %+v, want %+v under code %s", got, edit, st.Code)
		}

		if err := s.SetSiteActive(ctx, admin.ID, st.Code, false); err != nil {
			t.Fatalf("retire: %v", err)
		}
		if _, err := s.ActiveSite(ctx, st.Code); !errors.Is(err, ErrNotFound) {
			t.Errorf("ActiveSite of a retired site: err %v, want ErrNotFound", err)
		}
		if got, err := s.Site(ctx, st.Code); err != nil || got.Active {
			t.Errorf("Site of a retired site = %+v, %v; want it, inactive", got, err)
		}
		if err := s.SetSiteActive(ctx, admin.ID, st.Code, false); err != nil { // already retired: nothing to record
			t.Fatalf("retire again: %v", err)
		}
		if err := s.SetSiteActive(ctx, admin.ID, st.Code, true); err != nil {
			t.Fatalf("restore: %v", err)
		}
		if _, err := s.ActiveSite(ctx, st.Code); err != nil {
			t.Errorf("ActiveSite after restoring: %v", err)
		}

		entries, err := s.RecentAudit(ctx, 10)
		if err != nil || len(entries) < 4 {
			t.Fatalf("RecentAudit: %d entries, %v", len(entries), err)
		}
		var actions []string
		for _, e := range entries[:4] {
			if e.Username != admin.Username {
				t.Errorf("audit %s by %q, want %q", e.Action, e.Username, admin.Username)
			}
			actions = append(actions, e.Action)
		}
		want := []string{"site_restore", "site_retire", "site_edit", "site_add"}
		for i, a := range want {
			if actions[i] != a {
				t.Fatalf("audit actions %v, want %v (newest first)", actions, want)
			}
		}
	})
}

// TestSiteRefusals: a site must belong to a unit of the public form's list, and changes to an
// unknown site are ErrNotFound.
func TestSiteRefusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, admin := unitWorld(t, b)
		ctx := context.Background()
		st := mustCreateSite(t, s, admin.ID, NewSite{Name: "门诊大厅意见箱", UnitCode: "county-hospital"})

		for _, tc := range []struct{ name, unit string }{
			{"unknown unit", "no-such-unit"},
			{"retired unit", "old-clinic"},
			{"department", "chh-neike"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := s.CreateSite(ctx, admin.ID, NewSite{Name: "某意见箱", UnitCode: tc.unit}); !errors.Is(err, ErrSiteUnit) {
					t.Errorf("CreateSite: err %v, want ErrSiteUnit", err)
				}
				err := s.UpdateSite(ctx, admin.ID, st.Code, NewSite{Name: "某意见箱", UnitCode: tc.unit})
				if !errors.Is(err, ErrSiteUnit) {
					t.Errorf("UpdateSite: err %v, want ErrSiteUnit", err)
				}
			})
		}
		if got, _ := s.Site(ctx, st.Code); got.UnitCode != "county-hospital" || got.Name != "门诊大厅意见箱" {
			t.Errorf("refused updates changed the site: %+v", got)
		}
		for name, err := range map[string]error{
			"Site":          func() error { _, err := s.Site(ctx, "ZZZZZZ"); return err }(),
			"UpdateSite":    s.UpdateSite(ctx, admin.ID, "ZZZZZZ", NewSite{Name: "x", UnitCode: "county-hospital"}),
			"SetSiteActive": s.SetSiteActive(ctx, admin.ID, "ZZZZZZ", false),
		} {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s of an unknown code: err %v, want ErrNotFound", name, err)
			}
		}
		if n := countRows(t, s, "sites", ""); n != 1 {
			t.Errorf("%d sites stored, want 1: refused sites must leave nothing", n)
		}
	})
}

// TestSitesListAndCounts: the list holds retired sites after active ones, by unit then name,
// each with the opinions sent from it; 举报 are not counted.
func TestSitesListAndCounts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s, admin := unitWorld(t, b)
		ctx := context.Background()
		hall := mustCreateSite(t, s, admin.ID, NewSite{Name: "门诊大厅意见箱", UnitCode: "county-hospital"})
		ward := mustCreateSite(t, s, admin.ID, NewSite{Name: "住院部意见箱", UnitCode: "county-hospital"})
		old := mustCreateSite(t, s, admin.ID, NewSite{Name: "旧楼意见箱", UnitCode: "county-hospital"})
		if err := s.SetSiteActive(ctx, admin.ID, old.Code, false); err != nil {
			t.Fatalf("retire: %v", err)
		}
		for i := 0; i < 3; i++ {
			mustCreateOpinion(t, s, NewOpinion{Channel: "qr", SiteCode: hall.Code, Site: hall.Name})
		}
		mustCreateOpinion(t, s, NewOpinion{Channel: "qr", SiteCode: hall.Code, Site: hall.Name, Type: "report"})
		mustCreateOpinion(t, s, NewOpinion{Channel: "qr", SiteCode: hall.Code, Site: hall.Name, MailboxCode: "discipline"})
		mustCreateOpinion(t, s, NewOpinion{Channel: "qr", SiteCode: hall.Code, Site: hall.Name, MailboxCode: "director"})
		mustCreateOpinion(t, s, NewOpinion{Channel: "box", SiteCode: old.Code, Site: old.Name})
		mustCreateOpinion(t, s, NewOpinion{}) // from no site

		sites, err := s.Sites(ctx)
		if err != nil {
			t.Fatalf("Sites: %v", err)
		}
		type row struct {
			code   string
			active bool
			n      int
		}
		// The hall: three plain opinions and the letter to 局长信箱; not the 举报, not the letter to
		// 纪检监察信箱.
		want := []row{{ward.Code, true, 0}, {hall.Code, true, 4}, {old.Code, false, 1}}
		if len(sites) != len(want) {
			t.Fatalf("Sites returned %d, want %d: %+v", len(sites), len(want), sites)
		}
		for i, w := range want {
			got := row{sites[i].Code, sites[i].Active, sites[i].Opinions}
			if got != w {
				t.Errorf("Sites[%d] = %+v (%s), want %+v", i, got, sites[i].Name, w)
			}
			if sites[i].CreatedOn != "2026-04-01" {
				t.Errorf("Sites[%d].CreatedOn = %q, want the store's day 2026-04-01", i, sites[i].CreatedOn)
			}
		}
	})
}

func TestSitePlace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		site Site
		want string
	}{
		{"all three", Site{Building: "住院部", Floor: "3F", Ward: "内科病区"}, "住院部 · 3F · 内科病区"},
		{"building only", Site{Building: "门诊楼"}, "门诊楼"},
		{"floor and ward", Site{Floor: "2F", Ward: "儿科"}, "2F · 儿科"},
		{"none", Site{Name: "行政服务中心意见箱"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.site.Place(); got != tt.want {
				t.Errorf("Place() = %q, want %q", got, tt.want)
			}
		})
	}
}
