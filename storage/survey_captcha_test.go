package storage

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"
)

// Ensure a survey response spends its captcha in its own transaction (SurveyAnswer.Token, as
// an opinion does: one write per submission), once whichever of two processes gets it: of six
// responses carrying it, one is stored and the others are refused with ErrTokenSpent and store
// nothing. A response refused inside the transaction (the survey closed meanwhile) rolls the
// spend back, so the person may answer again; a token Spend took first refuses the response.
func TestSurveySpendsItsCaptchaOnceAcrossProcesses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		a, b := twoStores(t, be, clock)
		ctx := context.Background()
		sv := newTestSurvey(t, a, ScaleThree)
		answer := func(st *Store, tok *Token) error {
			return st.AnswerSurvey(ctx, SurveyAnswer{SurveyID: sv.ID, UnitCode: "county-hospital", Comment: "挂号快了",
				Values: map[int64]int{sv.Items[0].ID: 3, sv.Items[1].ID: 2}, Token: tok})
		}
		hash := sha256.Sum256([]byte("survey captcha answered right"))
		token := &Token{Hash: hash[:], Expires: fixedTime.Add(30 * time.Minute)}
		stored, refused := race(t, a, b, 6, func(st *Store, _ int) error { return answer(st, token) })
		if stored != 1 || refused != 5 {
			t.Fatalf("six responses with one captcha on two processes: %d stored, %d refused; want 1 and 5", stored, refused)
		}
		responses := func() (n int) {
			t.Helper()
			if err := a.read.QueryRow(`SELECT (SELECT count(*) FROM survey_responses) + (SELECT count(*) FROM survey_answers)`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := responses(); n != 1+len(sv.Items) {
			t.Fatalf("%d response and answer rows stored, want one response of %d answers", n, len(sv.Items))
		}
		if ok, err := b.Spend(ctx, hash[:], token.Expires); ok || err != nil {
			t.Fatalf("Spend after the response took the captcha: %v %v, want false", ok, err)
		}

		// Refused inside the transaction: the spend goes with it.
		closedHash := sha256.Sum256([]byte("answered right as the survey closed"))
		closedToken := &Token{Hash: closedHash[:], Expires: token.Expires}
		clock.Set(time.Date(2026, 5, 1, 9, 0, 0, 0, chinaTime))
		if err := answer(b, closedToken); !errors.Is(err, ErrSurveyClosed) {
			t.Fatalf("a response after the survey closed: %v, want ErrSurveyClosed", err)
		}
		if spent, err := a.Spent(ctx, closedHash[:]); spent || err != nil {
			t.Fatalf("the refused response's captcha is spent (%v, %v): its rollback should have taken the spend", spent, err)
		}
		clock.Set(fixedTime)
		other := sha256.Sum256([]byte("spent by a wrong answer first"))
		if ok, err := a.Spend(ctx, other[:], token.Expires); !ok || err != nil {
			t.Fatalf("Spend: %v %v", ok, err)
		}
		if err := answer(b, &Token{Hash: other[:], Expires: token.Expires}); !errors.Is(err, ErrTokenSpent) {
			t.Fatalf("a response with a spent captcha: %v, want ErrTokenSpent", err)
		}
		if err := answer(a, &Token{Hash: []byte("short"), Expires: token.Expires}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a token hash of 5 bytes: %v, want ErrInvalid", err)
		}
		if n := responses(); n != 1+len(sv.Items) {
			t.Fatalf("%d response and answer rows after the refusals, want still one response", n)
		}
	})
}
