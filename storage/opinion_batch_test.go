package storage

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"
)

// Ensure that on PostgreSQL a batch's plain submissions go in with the one statement, and that
// one bad submission still fails alone while the others commit: a retired or unknown unit is
// skipped by the statement and refused by the per-row path; a row the statement itself fails on
// (a CHECK, a receipt already stored or given twice: the statement has no ON CONFLICT) sends
// the whole batch down the per-row path, which refuses that row alone.
func TestBatchInsertsOnceAndIsolatesFailures(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		ctx := context.Background()
		atOnce := s.drv.insertsOpinionsAtOnce()
		stored := newReceiptHash(t)
		if _, err := s.CreateOpinion(ctx, sampleOpinion("county-hospital", 0), stored); err != nil {
			t.Fatal(err)
		}
		run := func(batch []pending) []created {
			for i := range batch {
				batch[i].done = make(chan created, 1)
			}
			s.commitBatch(batch)
			out := make([]created, len(batch))
			for i, p := range batch {
				out[i] = <-p.done
			}
			return out
		}
		check := func(name string, got []created, want []error) {
			t.Helper()
			for i, r := range got {
				switch {
				case want[i] == nil && r.err != nil:
					t.Errorf("%s, submission %d: %v, want success", name, i, r.err)
				case want[i] == errSomeError && r.err == nil:
					t.Errorf("%s, submission %d succeeded, want an error", name, i)
				case want[i] != nil && want[i] != errSomeError && !errors.Is(r.err, want[i]):
					t.Errorf("%s, submission %d: %v, want %v", name, i, r.err, want[i])
				case r.err == nil:
					o, err := s.Opinion(ctx, r.id)
					if err != nil {
						t.Errorf("%s, submission %d acknowledged as %s but not stored: %v", name, i, r.id, err)
					} else if mine, _ := s.OpinionByReceipt(ctx, batchHashOf(t, s, r.id)); mine.ID != o.ID {
						t.Errorf("%s, submission %d: its receipt finds %q, want %q", name, i, mine.ID, o.ID)
					}
				}
			}
		}

		// No statement error: the good rows go in at once, the bad one fails alone.
		before := s.rowsAtOnce.Load()
		got := run([]pending{
			{opinion: sampleOpinion("county-hospital", 1), hash: newReceiptHash(t)},
			{opinion: sampleOpinion("no-such-unit", 2), hash: newReceiptHash(t)},
			{opinion: NewOpinion{Type: "praise", UnitCode: "bureau", Submitter: "family", Content: "护士很耐心，谢谢。", AboutLeadership: true}, hash: newReceiptHash(t)},
		})
		check("skipped rows", got, []error{nil, ErrNotFound, nil})
		if atOnce {
			if n := s.rowsAtOnce.Load() - before; n != 2 {
				t.Errorf("rows stored by the one statement = %d, want 2", n)
			}
		}
		if o, err := s.Opinion(ctx, got[2].id); err != nil || !o.AboutLeadership || o.Type != "praise" || o.Submitter != "family" {
			t.Errorf("the praise came back as %+v, %v", o, err)
		}

		// A receipt stored before, and one given twice: the statement fails on the unique index,
		// the per-row path stores the others and the first of the two, and refuses the rest.
		dup := newReceiptHash(t)
		before = s.rowsAtOnce.Load()
		got = run([]pending{
			{opinion: sampleOpinion("tcm-hospital", 3), hash: dup},
			{opinion: sampleOpinion("county-hospital", 8), hash: newReceiptHash(t)},
			{opinion: sampleOpinion("tcm-hospital", 4), hash: dup},
			{opinion: sampleOpinion("bureau", 5), hash: stored},
		})
		check("receipts stored", got, []error{nil, nil, ErrConflict, ErrConflict})
		if n := s.rowsAtOnce.Load() - before; n != 0 {
			t.Errorf("rows stored by the failed statement = %d, want 0", n)
		}

		// A row the statement fails on: the savepoint undoes it, the per-row path stores the rest.
		before = s.rowsAtOnce.Load()
		got = run([]pending{
			{opinion: sampleOpinion("county-hospital", 6), hash: newReceiptHash(t)},
			{opinion: NewOpinion{Type: "bogus", UnitCode: "bureau", Submitter: "patient", Content: "类型不对的一条意见内容"}, hash: newReceiptHash(t)},
			{opinion: sampleOpinion("bureau", 7), hash: newReceiptHash(t)},
		})
		check("failed statement", got, []error{nil, errSomeError, nil})
		if n := s.rowsAtOnce.Load() - before; n != 0 {
			t.Errorf("rows stored by the failed statement = %d, want 0", n)
		}
		if got := countRows(t, s, "opinions", "1 = 1"); got != 1+2+2+2 {
			t.Fatalf("rows = %d, want 7", got)
		}
	})
}

// batchHashOf reads the receipt hash stored with opinion id.
func batchHashOf(t *testing.T, s *Store, id string) []byte {
	t.Helper()
	var h []byte
	if err := s.read.QueryRowContext(context.Background(), `SELECT receipt_hash FROM opinions WHERE id = ?`, id).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// Ensure that a batch spends each submission's captcha in its own transaction, on PostgreSQL
// with one statement for the batch: a captcha spent before (by a wrong answer, say) and the
// second submission of one captcha are refused with ErrTokenSpent, the others are stored, and
// each spent captcha keeps its day.
func TestBatchSpendsItsCaptchasOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s := b.mustOpen(t)
		ctx := context.Background()
		token := func(text string) *Token {
			h := sha256.Sum256([]byte(text))
			return &Token{Hash: h[:], Expires: fixedTime.Add(30 * time.Minute)}
		}
		before, twice, fresh := token("spent by a wrong answer"), token("sent twice at once"), token("answered once")
		if ok, err := s.Spend(ctx, before.Hash, before.Expires); !ok || err != nil {
			t.Fatalf("Spend: %v %v", ok, err)
		}
		with := func(i int, tok *Token) pending {
			o := sampleOpinion("county-hospital", i)
			o.Token = tok
			return pending{opinion: o, hash: newReceiptHash(t), done: make(chan created, 1)}
		}
		batch := []pending{with(1, twice), with(2, before), with(3, nil), with(4, twice), with(5, fresh)}
		s.commitBatch(batch)
		want := []error{nil, ErrTokenSpent, nil, ErrTokenSpent, nil}
		for i, p := range batch {
			r := <-p.done
			if want[i] == nil && r.err != nil || want[i] != nil && !errors.Is(r.err, want[i]) {
				t.Errorf("submission %d: %v, want %v", i, r.err, want[i])
			}
		}
		if got := countRows(t, s, "opinions", "1 = 1"); got != 3 {
			t.Errorf("opinions stored = %d, want 3", got)
		}
		if got := countRows(t, s, "spent_tokens", "until_on = ?", s.tokenDay(fresh.Expires)); got != 3 {
			t.Errorf("spent captchas of the day = %d, want 3", got)
		}
		for _, tok := range []*Token{twice, fresh} {
			if ok, err := s.Spend(ctx, tok.Hash, tok.Expires); ok || err != nil {
				t.Errorf("Spend of a captcha the batch took: %v %v, want false", ok, err)
			}
		}
	})
}
