package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"minsheng/access"
)

// Ensure a mailbox's readers, by role and by name, are stored, listed, replaced and audited, and
// that MailboxesReadBy gives each person the mailboxes they read.
func TestMailboxReaders(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		president, err := s.CreateScopedUser(ctx, 0, NewUser{Username: "院长", Password: testPassword, Role: access.Liaison,
			Unit: "county-hospital"})
		if err != nil {
			t.Fatal(err)
		}
		deputy := mustCreateUser(t, s, "副院长", access.Leader)
		box, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: " 县人民医院院长信箱 ", Description: "对医院的意见。",
			ReadersNote: "由院长本人阅读。", UnitCode: "county-hospital", ReaderUsers: []int64{president.ID}})
		if err != nil {
			t.Fatalf("CreateMailbox: %v", err)
		}
		if !strings.HasPrefix(box.Code, "mb-") || !ValidUnitCode(box.Code) || box.Name != "县人民医院院长信箱" ||
			box.UnitName != "县人民医院" || !box.Active || box.Discipline {
			t.Errorf("created %+v", box)
		}
		if len(box.ReaderUsers) != 1 || box.ReaderUsers[0].ID != president.ID || box.ReaderUsers[0].UnitName != "县人民医院" {
			t.Errorf("named readers %+v, want the president", box.ReaderUsers)
		}

		if m, err := s.ActiveMailbox(ctx, box.Code); err != nil || len(m.ReaderUsers) != 1 || m.ReaderUsers[0].Username != "院长" {
			t.Errorf("ActiveMailbox = %+v, %v; want it with its named reader", m, err)
		}

		readBy := func(u User) []string { return mustReadBy(t, s, u.ID, u.Role) }
		if got := readBy(president); !slices.Equal(got, []string{box.Code}) {
			t.Errorf("president reads %v, want [%s]", got, box.Code)
		}
		if got := readBy(deputy); !slices.Equal(got, []string{"director"}) {
			t.Errorf("a leader reads %v, want the director's mailbox by role", got)
		}
		if got := mustReadBy(t, s, 0, access.Discipline); !slices.Equal(got, []string{"discipline"}) {
			t.Errorf("discipline reads %v", got)
		}
		if got := mustReadBy(t, s, 0, access.Supervisor); len(got) != 0 {
			t.Errorf("supervisor reads %v, want none", got)
		}

		// Replace the readers: the supervision group by role and the deputy by name.
		err = s.UpdateMailbox(ctx, 0, box.Code, MailboxEdit{Name: "院长信箱（县人民医院）", UnitCode: "county-hospital",
			ReaderRoles: []string{access.Supervisor}, ReaderUsers: []int64{deputy.ID}})
		if err != nil {
			t.Fatalf("UpdateMailbox: %v", err)
		}
		wantLastAudit(t, s, "mailbox_edit", fmt.Sprintf("%s 院长信箱（县人民医院） roles=%s;readers=副院长#%d",
			box.Code, access.Supervisor, deputy.ID))
		if got := readBy(president); len(got) != 0 {
			t.Errorf("the president still reads %v", got)
		}
		if got := readBy(deputy); !slices.Equal(got, []string{"director", box.Code}) {
			t.Errorf("deputy reads %v", got)
		}
		if got := mustReadBy(t, s, 0, access.Supervisor); !slices.Equal(got, []string{box.Code}) {
			t.Errorf("supervisor reads %v", got)
		}
		all, err := s.AllMailboxes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var listed Mailbox
		for _, m := range all {
			if m.Code == box.Code {
				listed = m
			}
		}
		if listed.Name != "院长信箱（县人民医院）" || !slices.Equal(listed.ReaderRoles, []string{access.Supervisor}) ||
			len(listed.ReaderUsers) != 1 || listed.ReaderUsers[0].Username != "副院长" {
			t.Errorf("listed %+v", listed)
		}
		if n := countRows(t, s, "audit_log", "action IN ('mailbox_add', 'mailbox_edit') AND detail LIKE ?", "%副院长%"); n != 1 {
			t.Errorf("audit rows naming the new reader: %d, want 1", n)
		}
		if n := countRows(t, s, "audit_log", "action = 'mailbox_add' AND detail LIKE ?", "%院长#%"); n != 1 {
			t.Errorf("audit rows of the first readers: %d, want 1", n)
		}
	})
}

// Ensure what the administrator may not do to mailboxes is refused with the reason, and
// nothing changes.
func TestMailboxRefusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		reviewer := mustCreateUser(t, s, "审核员", access.Reviewer)
		roles := []string{access.Reviewer}
		tests := []struct {
			name string
			do   func() error
			want error
		}{
			{"a mailbox nobody reads", func() error {
				_, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "空信箱"})
				return err
			}, ErrMailboxNoReaders},
			{"a name in use", func() error {
				_, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "局长信箱", ReaderRoles: roles})
				return err
			}, ErrMailboxNameTaken},
			{"no name", func() error {
				_, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "  ", ReaderRoles: roles})
				return err
			}, ErrInvalid},
			{"a name too long", func() error {
				_, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: strings.Repeat("信", MaxMailboxName+1), ReaderRoles: roles})
				return err
			}, ErrInvalid},
			{"an unknown role", func() error {
				_, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "信箱甲", ReaderRoles: []string{"visitor"}})
				return err
			}, ErrInvalid},
			{"an unknown reader", func() error {
				_, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "信箱乙", ReaderUsers: []int64{9999}})
				return err
			}, ErrInvalid},
			{"an unknown unit", func() error {
				_, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "信箱丙", UnitCode: "nowhere", ReaderRoles: roles})
				return err
			}, ErrInvalid},
			{"editing an unknown mailbox", func() error {
				return s.UpdateMailbox(ctx, 0, "nosuch", MailboxEdit{Name: "信箱丁", ReaderRoles: roles})
			}, ErrNotFound},
			{"taking every reader away", func() error {
				return s.UpdateMailbox(ctx, 0, "director", MailboxEdit{Name: "局长信箱"})
			}, ErrMailboxNoReaders},
			{"a reviewer reading the discipline mailbox", func() error {
				return s.UpdateMailbox(ctx, 0, "discipline", MailboxEdit{Name: "纪检监察信箱", ReaderRoles: []string{access.Discipline, access.Reviewer}})
			}, ErrMailboxReadersFixed},
			{"a named reader of the discipline mailbox", func() error {
				return s.UpdateMailbox(ctx, 0, "discipline", MailboxEdit{Name: "纪检监察信箱", ReaderUsers: []int64{reviewer.ID}})
			}, ErrMailboxReadersFixed},
			{"retiring the discipline mailbox", func() error {
				return s.SetMailboxActive(ctx, 0, "discipline", false)
			}, ErrMailboxPermanent},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.do(); !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
			})
		}
		if n := countRows(t, s, "mailboxes", ""); n != 2 {
			t.Errorf("%d mailboxes, want the 2 seeded", n)
		}
		if got := mustReadBy(t, s, reviewer.ID, access.Reviewer); !slices.Equal(got, []string{"director"}) {
			t.Errorf("reviewer reads %v, want only the director's mailbox", got)
		}
		if n := countRows(t, s, "mailbox_reader_roles", "mailbox_code = 'discipline'"); n != 1 {
			t.Errorf("discipline mailbox has %d reader roles, want 1", n)
		}
	})
}

// Ensure the discipline mailbox's texts may change while its readers stay, and its letters
// carry the discipline flag to access.
func TestDisciplineMailboxReadersStay(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		err := s.UpdateMailbox(ctx, 0, "discipline", MailboxEdit{Name: "纪检监察信箱", Description: "反映违纪违规问题。", ReadersNote: "大家都能读。",
			ReaderRoles: []string{access.Discipline}})
		if err != nil {
			t.Fatalf("UpdateMailbox: %v", err)
		}
		all, err := s.AllMailboxes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			if m.Code == "discipline" && (m.Description != "反映违纪违规问题。" || m.ReadersNote != "只由纪检监察人员阅读，其他任何人都看不到。" || !slices.Equal(m.ReaderRoles, []string{access.Discipline}) ||
				len(m.ReaderUsers) != 0 || !m.Discipline) {
				t.Errorf("discipline mailbox now %+v", m)
			}
		}
		id := mustCreateOpinion(t, s, NewOpinion{MailboxCode: "discipline"})
		o, err := s.Opinion(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if f := storedFacts(t, s, o); f.Mailbox != "discipline" || !f.DisciplineMailbox {
			t.Errorf("facts %+v, want the discipline mailbox", f)
		}
		plain := mustCreateOpinion(t, s, NewOpinion{MailboxCode: "director"})
		if o, err = s.Opinion(ctx, plain); err != nil {
			t.Fatal(err)
		}
		if f := storedFacts(t, s, o); f.Mailbox != "director" || f.DisciplineMailbox {
			t.Errorf("facts %+v, want the ordinary director's mailbox", f)
		}
	})
}

// Ensure a retired mailbox takes no letters and leaves the public list, while its readers keep
// reading it; reopened, it takes letters again.
func TestMailboxRetireAndReopen(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		box, err := s.CreateMailbox(ctx, 0, MailboxEdit{Name: "中医院院长信箱", ReaderRoles: []string{access.Supervisor}})
		if err != nil {
			t.Fatal(err)
		}
		mustCreateOpinion(t, s, NewOpinion{MailboxCode: box.Code})
		if err := s.SetMailboxActive(ctx, 0, box.Code, false); err != nil {
			t.Fatalf("retire: %v", err)
		}
		if _, err := s.ActiveMailbox(ctx, box.Code); !errors.Is(err, ErrNotFound) {
			t.Errorf("ActiveMailbox of a retired mailbox: %v, want ErrNotFound", err)
		}
		if active := mustActiveCodes(t, s); slices.Contains(active, box.Code) {
			t.Errorf("retired mailbox still listed: %v", active)
		}
		_, err = s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
			Content: "写给停用信箱的信", MailboxCode: box.Code}, newReceiptHash(t))
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("letter to a retired mailbox: %v, want ErrNotFound", err)
		}
		if got := mustReadBy(t, s, 0, access.Supervisor); !slices.Equal(got, []string{box.Code}) {
			t.Errorf("readers of a retired mailbox lost it: %v", got)
		}
		if err := s.SetMailboxActive(ctx, 0, box.Code, true); err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if active := mustActiveCodes(t, s); !slices.Equal(active, []string{"director", "discipline", box.Code}) {
			t.Errorf("active mailboxes %v", active)
		}
		mustCreateOpinion(t, s, NewOpinion{MailboxCode: box.Code})
		if n := countRows(t, s, "audit_log", "action IN ('mailbox_retire', 'mailbox_restore') AND detail = ?", box.Code); n != 2 {
			t.Errorf("%d audit rows for retire and reopen, want 2", n)
		}
	})
}

// mustActiveCodes lists the codes of the mailboxes the public may write to.
func mustActiveCodes(t *testing.T, s *Store) []string {
	t.Helper()
	boxes, err := s.ActiveMailboxes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, m := range boxes {
		codes = append(codes, m.Code)
	}
	return codes
}
