package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
)

func TestSetFlags(t *testing.T) {
	t.Parallel()
	s := mustOpen(t)
	ctx := context.Background()
	id := mustCreateOpinion(t, s, NewOpinion{})
	if err := s.SetFlags(ctx, 0, id, Flags{Accountability: true, Substantiated: true}); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Rectification(ctx, id)
	if !r.Accountability || !r.Substantiated || r.Unfounded {
		t.Fatalf("flags = %+v", r)
	}
	if err := s.SetFlags(ctx, 0, id, Flags{Unfounded: true, Substantiated: true}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("contradicting flags: err = %v, want ErrInvalid", err)
	}
	if err := s.SetFlags(ctx, 0, "NOSUCHID00", Flags{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown opinion: err = %v", err)
	}
	entries, _ := s.AuditOf(ctx, id)
	if len(entries) != 1 || entries[0].Action != "flags" || entries[0].Detail != "substantiated,accountability" {
		t.Fatalf("audit = %+v", entries)
	}
}

// Ensure ratings are counted by the unit the opinion is about, within the viewer's scope and
// the year, and the rate is 满意 + 基本满意 over all ratings.
func TestSatisfactionByUnit(t *testing.T) {
	t.Parallel()
	s := mustOpen(t) // today 2026-04-01
	ctx := context.Background()
	rate := func(unit, typ, rating string) {
		id := mustCreateOpinion(t, s, NewOpinion{UnitCode: unit, Type: typ})
		walkTo(t, s, id, lifecycle.Satisfaction)
		if err := s.Rate(ctx, id, rating, ""); err != nil {
			t.Fatal(err)
		}
	}
	rate("county-hospital", "complaint", "satisfied")
	rate("county-hospital", "complaint", "basically")
	rate("county-hospital", "complaint", "dissatisfied")
	rate("county-hospital", "suggestion", "satisfied")
	rate("bureau", "report", "dissatisfied") // only 纪检 counts this one
	got, err := s.SatisfactionByUnit(ctx, access.Viewer{Role: access.Reviewer}, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].UnitCode != "county-hospital" || got[0].Rated() != 4 || got[0].Rate() != 75 {
		t.Fatalf("reviewer sees %+v", got)
	}
	got, _ = s.SatisfactionByUnit(ctx, access.Viewer{Role: access.Discipline}, 2026)
	if len(got) != 1 || got[0].UnitCode != "bureau" || got[0].Dissatisfied != 1 || got[0].Rate() != 0 {
		t.Fatalf("discipline sees %+v", got)
	}
	if got, _ := s.SatisfactionByUnit(ctx, access.Viewer{Role: access.Reviewer}, 2025); len(got) != 0 {
		t.Fatalf("2025 has ratings: %+v", got)
	}
	if (UnitSatisfaction{}).Rate() != 0 {
		t.Fatal("no ratings should give a rate of 0")
	}
}
