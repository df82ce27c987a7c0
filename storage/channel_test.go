package storage

import (
	"context"
	"testing"

	"minsheng/vocab"
)

// TestTranscribedIsAuditedWithItsOpinion: a transcribed item is audited as "transcribe" by the
// staff member who typed it, in the same commit; a web submission leaves no audit row at all.
func TestTranscribedIsAuditedWithItsOpinion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		u := mustCreateUser(t, s, "录入员", RoleReviewer)
		web, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
			Content: "网上留言的内容，十个字以上。"}, newReceiptHash(t))
		if err != nil {
			t.Fatal(err)
		}
		letter, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "other",
			Content: "信函内容，十个字以上的来信。", Channel: "letter", ReceivedOn: "2026-03-30", TranscribedBy: u.ID}, newReceiptHash(t))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.AuditOf(ctx, web); err != nil || len(got) != 0 {
			t.Errorf("AuditOf(web) = %v, %v; want no rows", got, err)
		}
		got, err := s.AuditOf(ctx, letter)
		if err != nil || len(got) != 1 || got[0].Action != "transcribe" || got[0].Username != u.Username {
			t.Errorf("AuditOf(letter) = %+v, %v; want one transcribe row by %s", got, err, u.Username)
		}
	})
}

func TestChannelFilterAndCheck(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		for _, ch := range []string{"", "qr", "box", "box"} {
			if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "opinion", UnitCode: "county-hospital", Submitter: "other",
				Content: "渠道筛选测试内容，十个字以上。", Channel: ch}, newReceiptHash(t)); err != nil {
				t.Fatalf("CreateOpinion(%q): %v", ch, err)
			}
		}
		for ch, want := range map[string]int{"": 4, "web": 1, "qr": 1, "box": 2, "letter": 0} {
			page, err := s.ListOpinions(ctx, OpinionFilter{Channel: ch}, Cursor{}, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Opinions) != want {
				t.Errorf("channel %q: %d opinions, want %d", ch, len(page.Opinions), want)
			}
		}
		// The CHECK constraint refuses a channel that is not one of vocab.Channels.
		if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "opinion", UnitCode: "county-hospital", Submitter: "other",
			Content: "伪造渠道的内容，十个字以上。", Channel: "carrier-pigeon"}, newReceiptHash(t)); err == nil {
			t.Error("CreateOpinion with an unknown channel: got nil error, want the CHECK to refuse it")
		}
	})
}

// TestEveryChannelPassesTheCheck keeps vocab.Channels and the migration's CHECK in step.
func TestEveryChannelPassesTheCheck(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		for _, ch := range vocab.Channels {
			if _, err := s.CreateOpinion(context.Background(), NewOpinion{Type: "opinion", UnitCode: "county-hospital",
				Submitter: "other", Content: "每个渠道都能保存，十个字以上。", Channel: ch.Code}, newReceiptHash(t)); err != nil {
				t.Errorf("channel %s (%s): %v", ch.Code, ch.Label, err)
			}
		}
	})
}
