package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/access"
	"minsheng/campaign"
)

// symposiumOpinion is one opinion raised at a meeting held on day at the county hospital.
func symposiumOpinion(content, typ, day string) NewOpinion {
	return NewOpinion{Type: typ, UnitCode: "county-hospital", Submitter: "staff", Content: content,
		Channel: "forum", ReceivedOn: day}
}

func TestRecordSymposium(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "office", RoleReviewer)
		const day = "2026-03-20"
		n := NewSymposium{HeldOn: day, UnitCode: "county-hospital", Host: "院长", Categories: []string{"staff", "patient"},
			Participants: 12, Note: "门诊楼三楼会议室",
			Opinions: []NewOpinion{symposiumOpinion("夜班护士太少。", "opinion", day),
				symposiumOpinion("建议增设自助缴费机。", "suggestion", day),
				symposiumOpinion("有医生收红包。", "report", day)},
			Hashes: [][]byte{newReceiptHash(t), newReceiptHash(t), newReceiptHash(t)}}
		id, ids, err := s.RecordSymposium(ctx, u.ID, n)
		if err != nil {
			t.Fatalf("RecordSymposium: %v", err)
		}
		if len(ids) != 3 {
			t.Fatalf("ids = %v, want 3", ids)
		}
		m, err := s.Symposium(ctx, id)
		if err != nil {
			t.Fatalf("Symposium: %v", err)
		}
		if m.HeldOn != day || m.Host != "院长" || m.Participants != 12 || m.Opinions != 3 || m.UnitName != "县人民医院" ||
			len(m.Categories) != 2 {
			t.Errorf("Symposium = %+v", m)
		}
		t.Run("opinions are transcribed items of channel forum, received that day", func(t *testing.T) {
			for _, oid := range ids {
				o, err := s.Opinion(ctx, oid)
				if err != nil {
					t.Fatal(err)
				}
				if o.Channel != "forum" || o.ReceivedOn != day {
					t.Errorf("opinion %s: channel %q received %q", oid, o.Channel, o.ReceivedOn)
				}
				if got, _ := s.SymposiumOf(ctx, oid); got != id {
					t.Errorf("SymposiumOf(%s) = %d, want %d", oid, got, id)
				}
			}
			if got := countRows(t, s, "audit_log", "action = 'transcribe' AND user_id = ?", u.ID); got != 3 {
				t.Errorf("transcribe audit rows = %d, want 3", got)
			}
			if got := countRows(t, s, "audit_log", "action = 'symposium' AND user_id = ?", u.ID); got != 1 {
				t.Errorf("symposium audit rows = %d, want 1", got)
			}
		})
		t.Run("the meeting page shows what the reader may open, in order", func(t *testing.T) {
			list, hidden, err := s.SymposiumOpinions(ctx, id, access.Viewer{Role: access.Reviewer})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || hidden != 1 || list[0].Content != "夜班护士太少。" || list[1].Content != "建议增设自助缴费机。" {
				t.Errorf("reviewer sees %d (%d hidden): %+v", len(list), hidden, list)
			}
			list, hidden, err = s.SymposiumOpinions(ctx, id, access.Viewer{Role: access.Discipline})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || hidden != 2 || list[0].Type != "report" {
				t.Errorf("discipline sees %d (%d hidden)", len(list), hidden)
			}
		})
		t.Run("counts per unit in the period", func(t *testing.T) {
			counts, err := s.SymposiumCounts(ctx, FactFilter{From: "2026-03-01", To: "2026-04-01", Viewer: &access.Viewer{Role: access.Reviewer}})
			if err != nil {
				t.Fatal(err)
			}
			if len(counts) != 1 || counts[0] != (SymposiumCount{Unit: "county-hospital", Meetings: 1, Participants: 12, Opinions: 2}) {
				t.Errorf("counts = %+v", counts)
			}
			counts, err = s.SymposiumCounts(ctx, FactFilter{From: "2026-04-01", To: "2026-05-01", Viewer: &access.Viewer{Role: access.Reviewer}})
			if err != nil || len(counts) != 0 {
				t.Errorf("April counts = %+v, %v; want none", counts, err)
			}
			counts, err = s.SymposiumCounts(ctx, FactFilter{Viewer: &access.Viewer{Role: access.Liaison, Unit: "tcm-hospital"}})
			if err != nil || len(counts) != 0 {
				t.Errorf("another unit's liaison counts = %+v, %v; want none", counts, err)
			}
		})
		t.Run("list", func(t *testing.T) {
			all, err := s.Symposia(ctx, "")
			if err != nil || len(all) != 1 || all[0].ID != id {
				t.Errorf("Symposia = %+v, %v", all, err)
			}
			other, err := s.Symposia(ctx, "tcm-hospital")
			if err != nil || len(other) != 0 {
				t.Errorf("Symposia(tcm-hospital) = %+v, %v", other, err)
			}
		})
	})
}

// TestRecordSymposiumAllOrNothing: one refused opinion of the batch leaves nothing stored, the
// meeting included, and says which opinion it was.
func TestRecordSymposiumAllOrNothing(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		const day = "2026-03-20"
		dup := newReceiptHash(t)
		mustCreateOpinionWithHash(t, s, dup)
		before := countRows(t, s, "opinions", "")
		bad := symposiumOpinion("第二条", "opinion", day)
		tests := []struct {
			name    string
			second  NewOpinion
			hash    []byte
			wantErr error
		}{
			{"a retired or unknown unit", NewOpinion{Type: "opinion", UnitCode: "no-such-unit", Submitter: "staff", Content: "x", Channel: "forum", ReceivedOn: day}, newReceiptHash(t), ErrNotFound},
			{"a receipt hash already stored", bad, dup, ErrConflict},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := s.RecordSymposium(ctx, 0, NewSymposium{HeldOn: day, UnitCode: "county-hospital", Host: "院长",
					Categories: []string{"staff"}, Participants: 5,
					Opinions: []NewOpinion{symposiumOpinion("第一条", "opinion", day), tc.second},
					Hashes:   [][]byte{newReceiptHash(t), tc.hash}})
				var row *ErrSymposiumRow
				if !errors.As(err, &row) || row.Row != 1 || !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want row 1 wrapping %v", err, tc.wantErr)
				}
				if got := countRows(t, s, "opinions", ""); got != before {
					t.Errorf("opinions = %d, want %d: the first of the batch was kept", got, before)
				}
				if got := countRows(t, s, "symposia", ""); got != 0 {
					t.Errorf("symposia = %d, want 0", got)
				}
			})
		}
		t.Run("an unknown unit for the meeting", func(t *testing.T) {
			_, _, err := s.RecordSymposium(ctx, 0, NewSymposium{HeldOn: day, UnitCode: "nowhere", Host: "院长", Participants: 5})
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})
	})
}

func mustCreateOpinionWithHash(t *testing.T, s *Store, hash []byte) {
	t.Helper()
	if _, err := s.CreateOpinion(context.Background(), NewOpinion{Type: "opinion", UnitCode: "county-hospital",
		Submitter: "patient", Content: "先来的一条"}, hash); err != nil {
		t.Fatal(err)
	}
}

// TestSymposiumOpinionsArriveInTheCampaignOfTheirDay: an opinion raised at a meeting is in the
// campaign running on the meeting's day for its unit, as a transcribed item is in that of the
// day it was received.
func TestSymposiumOpinionsArriveInTheCampaignOfTheirDay(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		c := spring2027()
		c.Phases = []campaign.Phase{{Kind: campaign.Listen, StartsOn: "2026-03-01", EndsOn: "2026-03-31"}}
		cid, err := s.SaveCampaign(ctx, 0, c)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			day  string
			want int64
		}{
			{"2026-03-20", cid},
			{"2026-02-10", 0},
		}
		for _, tc := range tests {
			t.Run(tc.day, func(t *testing.T) {
				_, ids, err := s.RecordSymposium(ctx, 0, NewSymposium{HeldOn: tc.day, UnitCode: "county-hospital", Host: "院长",
					Categories: []string{"staff"}, Participants: 6,
					Opinions: []NewOpinion{symposiumOpinion("门诊楼电梯太少，高峰时等很久。", "opinion", tc.day)},
					Hashes:   [][]byte{newReceiptHash(t)}})
				if err != nil {
					t.Fatal(err)
				}
				o, err := s.Opinion(ctx, ids[0])
				if err != nil {
					t.Fatal(err)
				}
				if o.CampaignID != tc.want {
					t.Errorf("campaign = %d, want %d", o.CampaignID, tc.want)
				}
			})
		}
	})
}
