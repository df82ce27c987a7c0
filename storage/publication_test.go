package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/lifecycle"
)

func TestPublishAndUnpublish(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		id := opinionIn(t, s, lifecycle.Assigned)
		report := mustCreateOpinion(t, s, NewOpinion{Type: "report"})
		walkTo(t, s, report, lifecycle.Assigned)
		fresh := mustCreateOpinion(t, s, NewOpinion{})
		letter := mustCreateOpinion(t, s, NewOpinion{MailboxCode: "discipline"})
		walkTo(t, s, letter, lifecycle.Assigned)
		tests := []struct {
			name, id, title, body string
			want                  error
		}{
			{"assigned work", id, " 门诊排队时间过长 ", "已要求县人民医院增开窗口。", nil},
			{"update", id, "门诊排队时间过长", "增开两个窗口。", nil},
			{"no title", id, "", "正文", ErrInvalid},
			{"a 举报 is never published", report, "标题", "正文", ErrInvalid},
			{"nor a letter to 纪检监察信箱", letter, "标题", "正文", ErrInvalid},
			{"not yet assigned", fresh, "标题", "正文", ErrInvalid},
			{"unknown opinion", "NOSUCHID00", "标题", "正文", ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.Publish(ctx, 0, tt.id, tt.title, tt.body, "")
				if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
			})
		}
		p, err := s.PublicationOf(ctx, id)
		if err != nil || p.Title != "门诊排队时间过长" || p.Body != "增开两个窗口。" || p.PublishedOn != "2026-04-01" ||
			p.LeadUnitName != "县人民医院" || p.Status != lifecycle.Assigned {
			t.Fatalf("PublicationOf = %+v, %v", p, err)
		}
		if r, _ := s.Rectification(ctx, id); !r.Published {
			t.Error("rectification not marked 已公示")
		}
		all, _ := s.Publications(ctx)
		if len(all) != 1 {
			t.Fatalf("Publications = %d, want 1", len(all))
		}
		if err := s.Unpublish(ctx, 0, id); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.PublicationOf(ctx, id); p.Title != "" {
			t.Errorf("still published: %+v", p)
		}
		if r, _ := s.Rectification(ctx, id); r.Published {
			t.Error("rectification still marked 已公示")
		}
		if err := s.Unpublish(ctx, 0, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("second unpublish: %v, want ErrNotFound", err)
		}
		if got := countRows(t, s, "audit_log", "opinion_id = ? AND action IN ('publish', 'unpublish')", id); got != 3 {
			t.Errorf("publish audit rows = %d, want 3", got)
		}
	})
}
