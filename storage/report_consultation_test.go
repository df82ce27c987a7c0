package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/campaign"
	"minsheng/plan"
)

// TestReportConsultation: a report's draft opened for comment takes comments (opinions linked
// in their own transaction) within its period only; closing it stops them; opening it again
// replaces the text and the period and keeps the comments; 纪检's version is never opened.
func TestReportConsultation(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		f := newPlanFixture(t, b) // 2027-03-10, a reviewer
		ctx := context.Background()
		k := ReportKey{Kind: "summary", Period: "2027-02", Unit: ""}
		text := ConsultationText{Title: "2027年2月工作情况汇总（征求意见稿）", Basics: "本月共收到意见 12 条。"}
		comment := func(id int64, words string) (string, error) {
			return f.s.CreateOpinion(ctx, NewOpinion{Type: "suggestion", UnitCode: "bureau", Submitter: "public",
				Content: words, Consultation: id}, newReceiptHash(t))
		}
		for _, tc := range []struct {
			name string
			k    ReportKey
			o    plan.Opening
		}{
			{"纪检's version", ReportKey{Kind: "summary", Period: "2027-02", Discipline: true}, plan.Opening{Scope: campaign.ScopePublic, From: "2027-03-10", To: "2027-03-12"}},
			{"no scope", k, plan.Opening{From: "2027-03-10", To: "2027-03-12"}},
			{"a period already over", k, plan.Opening{Scope: campaign.ScopePublic, From: "2027-03-01", To: "2027-03-09"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := f.s.OpenReportConsultation(ctx, f.reviewer, tc.k, text, tc.o); !errors.Is(err, ErrInvalid) {
					t.Errorf("opened: %v, want ErrInvalid", err)
				}
			})
		}
		if n := countRows(t, f.s, "report_consultations", ""); n != 0 {
			t.Fatalf("refused openings stored %d rows", n)
		}

		id, err := f.s.OpenReportConsultation(ctx, f.reviewer, k, text,
			plan.Opening{Scope: campaign.ScopePublic, From: "2027-03-11", To: "2027-03-12"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := comment(id, "还没到期限就写的意见。"); !errors.Is(err, ErrPlanClosed) {
			t.Errorf("a comment before the period: %v, want ErrPlanClosed", err)
		}
		f.clock.Advance(24 * time.Hour) // 2027-03-11
		first, err := comment(id, "建议把群众反映最多的问题写在前面。")
		if err != nil {
			t.Fatal(err)
		}
		if o, err := f.s.Opinion(ctx, first); err != nil || o.Type != "suggestion" {
			t.Errorf("the comment as an opinion: %+v, %v", o, err)
		}
		c, err := f.s.ReportConsultationFor(ctx, k)
		if err != nil || c.ID != id || c.Comments != 1 || !c.Open || c.Title != text.Title || c.Basics != text.Basics || c.Scope != campaign.ScopePublic {
			t.Fatalf("the consultation: %+v, %v", c, err)
		}
		for _, tc := range []struct {
			name string
			v    access.Viewer
			want int
		}{
			{"the office", access.Viewer{Role: access.Reviewer}, 1},
			{"another unit's liaison", access.Viewer{Role: access.Liaison, Unit: "county-hospital"}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := f.s.ReportConsultationComments(ctx, id, tc.v)
				if err != nil || len(got) != tc.want {
					t.Errorf("comments %d, %v; want %d", len(got), err, tc.want)
				}
			})
		}
		if open, err := f.s.ReportConsultationsOpen(ctx, "2027-03-11", campaign.Reader{}); err != nil || len(open) != 1 {
			t.Errorf("open to the public: %v, %v", open, err)
		}

		// Closed by the office: the next comment is refused, and nothing is stored.
		if err := f.s.CloseReportConsultation(ctx, f.reviewer, id); err != nil {
			t.Fatal(err)
		}
		before := countRows(t, f.s, "opinions", "")
		if _, err := comment(id, "结束以后才写的意见。"); !errors.Is(err, ErrPlanClosed) {
			t.Errorf("a comment after closing: %v, want ErrPlanClosed", err)
		}
		if after := countRows(t, f.s, "opinions", ""); after != before {
			t.Errorf("a refused comment stored an opinion: %d → %d", before, after)
		}
		if c, _ := f.s.ReportConsultation(ctx, id); c.Open || c.To != "2027-03-11" {
			t.Errorf("closed: %+v", c)
		}
		if open, _ := f.s.ReportConsultationsOpen(ctx, "2027-03-11", campaign.Reader{}); len(open) != 0 {
			t.Errorf("a closed draft is listed as open: %v", open)
		}
		if err := f.s.SaveConsultationChanges(ctx, f.reviewer, id, "把群众反映最多的问题移到了前面。"); err != nil {
			t.Fatal(err)
		}

		// Opened again, to the staff: the new text and period, the comment kept.
		again := ConsultationText{Title: "2027年2月工作情况汇总（第二稿）"}
		if id2, err := f.s.OpenReportConsultation(ctx, f.reviewer, k, again,
			plan.Opening{Scope: campaign.ScopeStaff, From: "2027-03-11", To: "2027-03-20"}); err != nil || id2 != id {
			t.Fatalf("opened again: %d, %v", id2, err)
		}
		c, _ = f.s.ReportConsultation(ctx, id)
		if c.Title != again.Title || c.Basics != "" || c.Scope != campaign.ScopeStaff || c.To != "2027-03-20" || !c.Open ||
			c.Comments != 1 || c.Changes != "把群众反映最多的问题移到了前面。" {
			t.Errorf("opened again: %+v", c)
		}
		if open, _ := f.s.ReportConsultationsOpen(ctx, "2027-03-11", campaign.Reader{}); len(open) != 0 {
			t.Errorf("a staff draft is listed for the public: %v", open)
		}
		if n := countRows(t, f.s, "audit_log", "action IN ('report_open_comment', 'report_close_comment', 'report_comment_changes')"); n != 4 {
			t.Errorf("audited %d steps, want 4", n)
		}
		// Closed before its period began: it ends today, and takes nothing.
		early, err := f.s.OpenReportConsultation(ctx, f.reviewer, ReportKey{Kind: "opinions", Period: "2027-02"}, text,
			plan.Opening{Scope: campaign.ScopePublic, From: "2027-03-15", To: "2027-03-20"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.CloseReportConsultation(ctx, f.reviewer, early); err != nil {
			t.Fatal(err)
		}
		if c, _ := f.s.ReportConsultation(ctx, early); c.Open || c.From != "2027-03-11" || c.To != "2027-03-11" {
			t.Errorf("closed before its period: %+v", c)
		}
		if err := f.s.CloseReportConsultation(ctx, f.reviewer, 999); !errors.Is(err, ErrNotFound) {
			t.Errorf("closing none: %v, want ErrNotFound", err)
		}
		if _, err := f.s.ReportConsultationFor(ctx, ReportKey{Kind: "summary", Period: "2027-01"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("a report never opened: %v, want ErrNotFound", err)
		}
	})
}
