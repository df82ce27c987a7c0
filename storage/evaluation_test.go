package storage

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"minsheng/receipt"
)

// testHasher hashes one-time codes as the portal does, with a fixed key.
func testHasher(t *testing.T) *receipt.Hasher {
	t.Helper()
	h, err := receipt.NewHasher(bytes.Repeat([]byte("e"), 32))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// hashOf hashes a code as printed on a slip.
func hashOf(t *testing.T, h *receipt.Hasher, code string) []byte {
	t.Helper()
	n, err := receipt.Parse(code)
	if err != nil {
		t.Fatalf("Parse(%q): %v", code, err)
	}
	return h.Hash(n)
}

// newTestEvaluation stores an evaluation of the bureau's leadership open through April 2026
// (fixedTime is 1 April in China).
func newTestEvaluation(t *testing.T, s *Store) Evaluation {
	t.Helper()
	id, err := s.CreateEvaluation(context.Background(), 0, NewEvaluation{Title: "领导班子作风民主评议",
		Meeting: "县卫生健康局党委班子 动员大会", UnitCode: "bureau", OpensOn: "2026-04-01", ClosesOn: "2026-04-30"})
	if err != nil {
		t.Fatalf("CreateEvaluation: %v", err)
	}
	ev, err := s.Evaluation(context.Background(), id)
	if err != nil {
		t.Fatalf("Evaluation(%d): %v", id, err)
	}
	return ev
}

// mustIssue prints n codes for ev and returns them.
func mustIssue(t *testing.T, s *Store, h *receipt.Hasher, ev Evaluation, n int) []string {
	t.Helper()
	codes, err := s.IssueCodes(context.Background(), 0, ev.ID, n, h)
	if err != nil {
		t.Fatalf("IssueCodes(%d): %v", n, err)
	}
	return codes
}

func TestCreateEvaluation(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		ev := newTestEvaluation(t, s)
		if ev.UnitName != "县卫生健康局机关" || ev.CreatedOn != "2026-04-01" || ev.Closed || ev.Issued != 0 || !ev.Open("2026-04-01") {
			t.Errorf("stored evaluation = %+v", ev)
		}
		if n := countRows(t, s, "audit_log", "action = 'evaluation_add'"); n != 1 {
			t.Errorf("audit rows = %d, want 1", n)
		}
		good := NewEvaluation{Title: "评议", UnitCode: "county-hospital", OpensOn: "2026-04-01", ClosesOn: "2026-04-01"}
		tests := []struct {
			name   string
			change func(n *NewEvaluation)
		}{
			{"unknown unit", func(n *NewEvaluation) { n.UnitCode = "nowhere" }},
			{"no title", func(n *NewEvaluation) { n.Title = "  " }},
			{"title too long", func(n *NewEvaluation) { n.Title = strings.Repeat("评", MaxEvaluationTitle+1) }},
			{"meeting too long", func(n *NewEvaluation) { n.Meeting = strings.Repeat("会", MaxEvaluationMeeting+1) }},
			{"closes before it opens", func(n *NewEvaluation) { n.ClosesOn = "2026-03-31" }},
			{"no date", func(n *NewEvaluation) { n.OpensOn = "" }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n := good
				tt.change(&n)
				if _, err := s.CreateEvaluation(ctx, 0, n); !errors.Is(err, ErrInvalid) {
					t.Errorf("CreateEvaluation = %v, want ErrInvalid", err)
				}
			})
		}
		if _, err := s.CreateEvaluation(ctx, 0, good); err != nil {
			t.Fatalf("CreateEvaluation(good): %v", err)
		}
		list, err := s.Evaluations(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("Evaluations = %d, %v; want 2", len(list), err)
		}
		if _, err := s.Evaluation(ctx, 999); !errors.Is(err, ErrNotFound) {
			t.Errorf("Evaluation(999) = %v, want ErrNotFound", err)
		}
	})
}

func TestIssueCodes(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		h := testHasher(t)
		ev := newTestEvaluation(t, s)
		for _, n := range []int{0, -1, MaxEvaluationCodes + 1} {
			if _, err := s.IssueCodes(ctx, 0, ev.ID, n, h); !errors.Is(err, ErrInvalid) {
				t.Errorf("IssueCodes(%d) = %v, want ErrInvalid", n, err)
			}
		}
		codes := mustIssue(t, s, h, ev, 3)
		codes = append(codes, mustIssue(t, s, h, ev, 2)...)
		seen := map[string]bool{}
		for _, c := range codes {
			if _, err := receipt.Parse(c); err != nil || seen[c] {
				t.Errorf("code %q: parse %v, repeated %v", c, err, seen[c])
			}
			seen[c] = true
			// Only the hash is stored, never the code.
			if n := countRows(t, s, "evaluation_codes", "code_hash = ?", hashOf(t, h, c)); n != 1 {
				t.Errorf("code %q stored %d times, want its hash once", c, n)
			}
		}
		got, _ := s.Evaluation(ctx, ev.ID)
		if got.Issued != 5 || got.Used != 0 {
			t.Errorf("counts = %d issued, %d used; want 5, 0", got.Issued, got.Used)
		}
		if _, err := s.IssueCodes(ctx, 0, 999, 1, h); !errors.Is(err, ErrNotFound) {
			t.Errorf("IssueCodes(unknown) = %v, want ErrNotFound", err)
		}
		if err := s.CloseEvaluation(ctx, 0, ev.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.IssueCodes(ctx, 0, ev.ID, 1, h); !errors.Is(err, ErrEvaluationClosed) {
			t.Errorf("IssueCodes(closed) = %v, want ErrEvaluationClosed", err)
		}
		if err := s.CloseEvaluation(ctx, 0, 999); !errors.Is(err, ErrNotFound) {
			t.Errorf("CloseEvaluation(unknown) = %v, want ErrNotFound", err)
		}
	})
}

var goodAnswer = EvaluationAnswer{Overall: "fair", Problems: []string{"formalism-meetings"}, Suggestions: "少开会。"}

func TestAnswerEvaluationCodes(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		s := b.mustOpenClock(t, clock)
		ctx := context.Background()
		h := testHasher(t)
		ev := newTestEvaluation(t, s)
		codes := mustIssue(t, s, h, ev, 4)
		early := newTestEvaluation(t, s)
		earlyCodes := mustIssue(t, s, h, early, 1)
		if err := s.CloseEvaluation(ctx, 0, early.ID); err != nil {
			t.Fatal(err)
		}

		if err := s.AnswerEvaluation(ctx, hashOf(t, h, codes[0]), goodAnswer); err != nil {
			t.Fatalf("first use: %v", err)
		}
		tests := []struct {
			name   string
			before func()
			code   []byte
			answer EvaluationAnswer
			want   error
		}{
			{"the same code again", nil, hashOf(t, h, codes[0]), goodAnswer, ErrCodeUsed},
			{"a code never issued", nil, hashOf(t, h, receipt.New()), goodAnswer, ErrNotFound},
			{"a code of an evaluation closed early", nil, hashOf(t, h, earlyCodes[0]), goodAnswer, ErrEvaluationClosed},
			{"no overall rating", nil, hashOf(t, h, codes[1]), EvaluationAnswer{}, ErrInvalid},
			{"an unknown manifestation", nil, hashOf(t, h, codes[1]),
				EvaluationAnswer{Overall: "good", Problems: []string{"formalism"}}, ErrInvalid},
			{"other problems under an unknown style", nil, hashOf(t, h, codes[1]),
				EvaluationAnswer{Overall: "good", Others: map[string]string{"laziness": "懒"}}, ErrInvalid},
			{"suggestions too long", nil, hashOf(t, h, codes[1]),
				EvaluationAnswer{Overall: "good", Suggestions: strings.Repeat("建", MaxEvaluationText+1)}, ErrInvalid},
			{"the day before it opens", func() { clock.Set(fixedTime.Add(-24 * time.Hour)) }, hashOf(t, h, codes[1]), goodAnswer, ErrEvaluationClosed},
			{"the day after it closes", func() { clock.Set(fixedTime.Add(30 * 24 * time.Hour)) }, hashOf(t, h, codes[1]), goodAnswer, ErrEvaluationClosed},
			{"its last day", func() { clock.Set(fixedTime.Add(29 * 24 * time.Hour)) }, hashOf(t, h, codes[1]), goodAnswer, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.before != nil {
					tt.before()
				}
				if err := s.AnswerEvaluation(ctx, tt.code, tt.answer); !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
					t.Errorf("AnswerEvaluation = %v, want %v", err, tt.want)
				}
			})
		}
		if !errors.Is(ErrCodeUsed, ErrConflict) {
			t.Error("ErrCodeUsed should be a conflict")
		}
		if n := countRows(t, s, "evaluation_answers", "evaluation_id = ?", ev.ID); n != 2 {
			t.Errorf("answers stored = %d, want 2 (the refused ones store nothing)", n)
		}
		if n := countRows(t, s, "evaluation_codes", "evaluation_id = ? AND used = 1", ev.ID); n != 2 {
			t.Errorf("codes used = %d, want 2 (a refused answer leaves its code unused)", n)
		}
		clock.Set(fixedTime)
		if _, err := s.EvaluationByCode(ctx, hashOf(t, h, codes[2])); err != nil {
			t.Errorf("EvaluationByCode(unused) = %v", err)
		}
		if got, err := s.EvaluationByCode(ctx, hashOf(t, h, codes[0])); !errors.Is(err, ErrCodeUsed) || got.ID != ev.ID {
			t.Errorf("EvaluationByCode(used) = %d, %v; want %d, ErrCodeUsed", got.ID, err, ev.ID)
		}
		if _, err := s.EvaluationByCode(ctx, hashOf(t, h, earlyCodes[0])); !errors.Is(err, ErrEvaluationClosed) {
			t.Errorf("EvaluationByCode(closed) = %v, want ErrEvaluationClosed", err)
		}
		if _, err := s.EvaluationByCode(ctx, hashOf(t, h, receipt.New())); !errors.Is(err, ErrNotFound) {
			t.Errorf("EvaluationByCode(unknown) = %v, want ErrNotFound", err)
		}
	})
}

// TestAnswerEvaluationAtomic: when storing the answer fails after the code was marked used,
// the code is unused again and no part of the answer is kept.
func TestAnswerEvaluationAtomic(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		h := testHasher(t)
		ev := newTestEvaluation(t, s)
		code := hashOf(t, h, mustIssue(t, s, h, ev, 1)[0])
		// A failure the Go checks cannot see coming: the last insert of the answer is refused.
		refuse := []string{`CREATE TEMP TRIGGER refuse_drinking BEFORE INSERT ON evaluation_answer_problems
			WHEN NEW.manifestation = 'hedonism-drinking' BEGIN SELECT RAISE(ABORT, 'refused'); END`}
		if b.name == "postgres" { // no temporary triggers; the database is the test's own
			refuse = []string{`CREATE FUNCTION refuse_drinking() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'refused'; END $$`,
				`CREATE TRIGGER refuse_drinking BEFORE INSERT ON evaluation_answer_problems FOR EACH ROW
				WHEN (NEW.manifestation = 'hedonism-drinking') EXECUTE FUNCTION refuse_drinking()`}
		}
		for _, stmt := range refuse {
			if _, err := s.write.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		bad := EvaluationAnswer{Overall: "poor", Problems: []string{"formalism-meetings", "hedonism-drinking"}, Suggestions: "不应留下"}
		if err := s.AnswerEvaluation(ctx, code, bad); err == nil {
			t.Fatal("AnswerEvaluation succeeded despite the refused insert")
		}
		for table, where := range map[string]string{"evaluation_answers": "", "evaluation_answer_problems": "",
			"evaluation_codes": "used = 1"} {
			if n := countRows(t, s, table, where); n != 0 {
				t.Errorf("%s %s: %d rows after the failed answer, want 0", table, where, n)
			}
		}
		if err := s.AnswerEvaluation(ctx, code, goodAnswer); err != nil {
			t.Errorf("the code should still work: %v", err)
		}
	})
}

// TestAnswerEvaluationRace: two people sending the same code at once get one answer stored.
func TestAnswerEvaluationRace(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		h := testHasher(t)
		ev := newTestEvaluation(t, s)
		code := hashOf(t, h, mustIssue(t, s, h, ev, 1)[0])
		const tries = 8
		errs := make([]error, tries)
		var wg sync.WaitGroup
		for i := range tries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.AnswerEvaluation(context.Background(), code, goodAnswer)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, ErrCodeUsed):
				t.Errorf("unexpected error %v", err)
			}
		}
		if ok != 1 || countRows(t, s, "evaluation_answers", "") != 1 {
			t.Errorf("%d succeeded, %d stored; want exactly one", ok, countRows(t, s, "evaluation_answers", ""))
		}
	})
}

func TestEvaluationSummary(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		h := testHasher(t)
		ev := newTestEvaluation(t, s)
		other := newTestEvaluation(t, s)
		answers := []EvaluationAnswer{
			{Overall: "good", Problems: []string{"formalism-meetings"}, Suggestions: "建议一"},
			{Overall: "good", Problems: []string{"formalism-meetings", "formalism-falsify", "bureaucratism-hard"}},
			{Overall: "fair", Problems: []string{"formalism-meetings"}, Suggestions: "  "},
			{Overall: "fair", Others: map[string]string{"hedonism": "中午聚餐", "extravagance": " "}, Suggestions: "建议二"},
			{Overall: "average", Problems: []string{"bureaucratism-hard", "bureaucratism-cold"}},
			{Overall: "poor", Problems: []string{"bureaucratism-hard"}, Suggestions: "建议三"},
		}
		codes := mustIssue(t, s, h, ev, len(answers)+1)
		for i, a := range answers {
			if err := s.AnswerEvaluation(ctx, hashOf(t, h, codes[i]), a); err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
		}
		// An answer to another evaluation must not count here.
		if err := s.AnswerEvaluation(ctx, hashOf(t, h, mustIssue(t, s, h, other, 1)[0]),
			EvaluationAnswer{Overall: "poor", Problems: []string{"hedonism-drinking"}, Suggestions: "别处"}); err != nil {
			t.Fatal(err)
		}
		sum, err := s.EvaluationSummary(ctx, ev.ID)
		if err != nil {
			t.Fatalf("EvaluationSummary: %v", err)
		}
		if sum.Answers != 6 || !sum.Enough() || sum.Evaluation.Issued != 7 || sum.Evaluation.Used != 6 {
			t.Errorf("answers %d, enough %v, codes %d/%d; want 6, true, 6/7", sum.Answers, sum.Enough(),
				sum.Evaluation.Used, sum.Evaluation.Issued)
		}
		wantRatings := map[string]int{"good": 2, "fair": 2, "average": 1, "poor": 1}
		for i, r := range sum.Ratings {
			if r.Code != EvaluationOveralls[i].Code || r.Count != wantRatings[r.Code] || r.Of != 6 {
				t.Errorf("rating %d = %+v, want %s %d of 6", i, r, EvaluationOveralls[i].Code, wantRatings[r.Code])
			}
		}
		if f := sum.Favourable(); f.Count != 4 || f.Percent() != 66.7 {
			t.Errorf("favourable = %d (%.1f%%), want 4 (66.7%%)", f.Count, f.Percent())
		}
		styles := map[string]StyleSummary{}
		for _, st := range sum.Styles {
			styles[st.Style.Code] = st
		}
		tests := []struct {
			style       string
			answers     int
			first       string
			firstCount  int
			second      string
			secondCount int
			others      []string
		}{
			{"formalism", 3, "formalism-meetings", 3, "formalism-falsify", 1, nil},
			{"bureaucratism", 3, "bureaucratism-hard", 3, "bureaucratism-cold", 1, nil},
			{"hedonism", 0, "hedonism-lazy", 0, "hedonism-absent", 0, []string{"中午聚餐"}},
			{"extravagance", 0, "extravagance-banquets", 0, "extravagance-receptions", 0, nil},
		}
		for _, tt := range tests {
			st := styles[tt.style]
			p := st.Problems
			if st.Answers.Count != tt.answers || len(p) < 2 || p[0].Code != tt.first || p[0].Count != tt.firstCount ||
				p[1].Code != tt.second || p[1].Count != tt.secondCount || strings.Join(st.Others, "|") != strings.Join(tt.others, "|") {
				t.Errorf("%s = %+v", tt.style, st)
			}
		}
		if got := strings.Join(sum.Suggestions, "|"); len(sum.Suggestions) != 3 || strings.Contains(got, "别处") {
			t.Errorf("suggestions = %q, want the three non-blank ones of this evaluation", got)
		}

		small, err := s.EvaluationSummary(ctx, other.ID)
		if err != nil || small.Answers != 1 || small.Enough() {
			t.Errorf("other evaluation: %d answers, enough %v, %v; want 1, false", small.Answers, small.Enough(), err)
		}
		if _, err := s.EvaluationSummary(ctx, 999); !errors.Is(err, ErrNotFound) {
			t.Errorf("EvaluationSummary(999) = %v, want ErrNotFound", err)
		}
	})
}
