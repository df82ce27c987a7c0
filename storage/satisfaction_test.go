package storage

import (
	"context"
	"errors"
	"testing"
)

func TestSetFlags(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
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
	})
}
