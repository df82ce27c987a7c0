package storage

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"minsheng/workday"
)

// twoStores opens two handles on one new database of b (on SQLite one file), as two portal
// processes would, both on clock c.
func twoStores(t *testing.T, b backend, c interface{ Now() time.Time }) (*Store, *Store) {
	t.Helper()
	dsn := b.dsn(t)
	return openAt(t, dsn, c.Now), openAt(t, dsn, c.Now)
}

// race runs n calls of try at once, alternately on stores a and b (two processes), and counts
// those that succeeded and those refused with ErrTokenSpent; any other error fails the test.
func race(t *testing.T, a, b *Store, n int, try func(st *Store, i int) error) (won, refused int) {
	t.Helper()
	var wins, spent atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		st := a
		if i%2 == 1 {
			st = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch err := try(st, i); {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, ErrTokenSpent):
				spent.Add(1)
			default:
				t.Errorf("attempt %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	return int(wins.Load()), int(spent.Load())
}

func TestCaptchaIsSpentOnceAcrossProcesses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		a, b := twoStores(t, be, clock)
		ctx := context.Background()
		hash := sha256.Sum256([]byte("challenge one"))
		expires := fixedTime.Add(30 * time.Minute)

		wins, _ := race(t, a, b, 8, func(st *Store, _ int) error {
			ok, err := st.Spend(ctx, hash[:], expires)
			if err == nil && !ok {
				err = ErrTokenSpent
			}
			return err
		})
		if wins != 1 {
			t.Fatalf("eight spends of one captcha on two processes: %d succeeded, want exactly 1", wins)
		}
		other := sha256.Sum256([]byte("challenge two"))
		if ok, err := b.Spend(ctx, other[:], expires); !ok || err != nil {
			t.Fatalf("another captcha: %v %v, want spent", ok, err)
		}
		// The spend's commit did not wait for the disk; the one write connection syncs again for
		// whatever comes next (an opinion).
		for _, st := range []*Store{a, b} {
			if st.Backend() == "postgres" { // SET LOCAL lasted until the spend's commit
				var mode string
				if err := st.write.QueryRow(`SHOW synchronous_commit`).Scan(&mode); err != nil || mode != "on" {
					t.Fatalf("the write connection is left at synchronous_commit=%s (%v), want on", mode, err)
				}
				continue
			}
			var mode int
			if err := st.write.QueryRow(`PRAGMA synchronous`).Scan(&mode); err != nil || mode != 2 {
				t.Fatalf("the write connection is left at synchronous=%d (%v), want 2 (FULL)", mode, err)
			}
		}
		for _, st := range []*Store{a, b} {
			if spent, err := st.Spent(ctx, hash[:]); !spent || err != nil {
				t.Fatalf("Spent: %v %v, want true", spent, err)
			}
		}
		unused := sha256.Sum256([]byte("never used"))
		if spent, err := a.Spent(ctx, unused[:]); spent || err != nil {
			t.Fatalf("Spent of an unused token: %v %v", spent, err)
		}
		if _, err := a.Spend(ctx, []byte("short"), expires); err == nil {
			t.Error("a hash of 5 bytes was taken")
		}
	})
}

func TestSpentCaptchasKeepTheirDayAndGoAfterIt(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		t.Parallel()
		clock := newClock(fixedTime) // 01:30 on 1 April in China
		a, b := twoStores(t, be, clock)
		ctx := context.Background()
		hash := sha256.Sum256([]byte("late captcha"))
		if ok, err := a.Spend(ctx, hash[:], fixedTime.Add(30*time.Minute)); !ok || err != nil {
			t.Fatalf("spend: %v %v", ok, err)
		}
		var day string
		if err := a.read.QueryRow(`SELECT until_on FROM spent_tokens`).Scan(&day); err != nil || day != "2026-04-01" {
			t.Fatalf("the row keeps %q (%v), want the day alone, 2026-04-01", day, err)
		}
		for _, tc := range []struct {
			name  string
			at    time.Time
			swept int64
		}{
			{"the same day", fixedTime.Add(20 * time.Hour), 0},
			{"the next day", fixedTime.Add(23 * time.Hour), 1},
		} {
			clock.Set(tc.at)
			n, err := b.SweepShared(ctx)
			if err != nil || n != tc.swept {
				t.Errorf("%s: swept %d (%v), want %d", tc.name, n, err, tc.swept)
			}
		}
	})
}

func TestBudgetIsSharedByProcesses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		t.Parallel()
		a, b := twoStores(t, be, newClock(fixedTime))
		ctx := context.Background()
		const burst = 3
		take := func(st *Store) bool {
			t.Helper()
			ok, err := st.TakeBudget(ctx, "misses", burst)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for i, st := range []*Store{a, b, a} {
			if !take(st) {
				t.Fatalf("take %d of a budget of %d refused", i+1, burst)
			}
		}
		if take(b) || take(a) {
			t.Fatal("a spent budget gave a token on one of the processes")
		}
		if err := b.RefillBudget(ctx, "misses", 2, burst); err != nil {
			t.Fatal(err)
		}
		if !take(a) || !take(a) || take(b) {
			t.Fatal("after a refill of 2: want exactly 2 more tokens")
		}
		if err := a.RefillBudget(ctx, "misses", 10, burst); err != nil {
			t.Fatal(err)
		}
		var tokens int
		if err := a.read.QueryRow(`SELECT tokens FROM budgets WHERE name = 'misses'`).Scan(&tokens); err != nil || tokens != burst {
			t.Fatalf("a refill of 10 left %d tokens (%v), want the burst, %d", tokens, err, burst)
		}
	})
}

func TestLeaseHasOneHolder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		a, b := twoStores(t, be, clock)
		ctx := context.Background()
		const ttl = time.Minute
		take := func(st *Store, holder string) bool {
			t.Helper()
			ok, err := st.TakeLease(ctx, "sweep", holder, ttl)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		steps := []struct {
			name    string
			advance time.Duration
			st      *Store
			holder  string
			want    bool
		}{
			{"A takes a free lease", 0, a, "A", true},
			{"B is refused while A holds it", 0, b, "B", false},
			{"A renews", 50 * time.Second, a, "A", true},
			{"B is refused before the renewed lease runs out", 50 * time.Second, b, "B", false},
			{"B takes it once A stopped renewing", 11 * time.Second, b, "B", true},
			{"A is refused now", 0, a, "A", false},
		}
		for _, s := range steps {
			clock.Advance(s.advance)
			if got := take(s.st, s.holder); got != s.want {
				t.Fatalf("%s: got %v", s.name, got)
			}
		}
		if err := a.ReleaseLease(ctx, "sweep", "A"); err != nil { // not A's: does nothing
			t.Fatal(err)
		}
		if take(a, "A") {
			t.Fatal("A's release of B's lease freed it")
		}
		if err := b.ReleaseLease(ctx, "sweep", "B"); err != nil {
			t.Fatal(err)
		}
		if !take(a, "A") {
			t.Fatal("A could not take a released lease")
		}

		// Racing for a free lease: exactly one of many wins.
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			st, holder := a, "A"
			if i%2 == 1 {
				st, holder = b, "B"
			}
			holder += string(rune('0' + i))
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ok, err := st.TakeLease(ctx, "race", holder, ttl); err != nil {
					t.Error(err)
				} else if ok {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d holders took one lease at once", wins.Load())
		}
	})
}

func TestChangesReachTheOtherProcessWithinTheBound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		a, b := twoStores(t, be, clock)
		ctx := context.Background()
		before, err := b.Units(ctx) // B has the list in memory
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Campaigns(ctx); err != nil {
			t.Fatal(err)
		}
		calBefore, _ := b.Generation(ctx, GenCalendar)
		if err := a.CreateUnit(ctx, 0, NewUnit{Code: "chengguan-v9", Name: "城关九村卫生室", ParentCode: "chengguan-thc", Kind: "village"}); err != nil {
			t.Fatal(err)
		}
		if err := a.SetCalendarOverride(ctx, 0, workday.Date{Year: 2026, Month: 5, Day: 9}, workday.Override{Work: true}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(GenerationsEvery)
		after, err := b.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before)+1 {
			t.Errorf("B lists %d units %s after A added one, want %d", len(after), GenerationsEvery, len(before)+1)
		}
		if cal, _ := b.Generation(ctx, GenCalendar); cal == calBefore {
			t.Errorf("the calendar's generation did not move on B (%d)", cal)
		}
	})
}

// TestOpinionSpendsItsCaptchaOnceAcrossProcesses: a captcha spent in the opinion's own
// transaction (NewOpinion.Token, #11: a submission is one write) is spent once, whichever of
// two processes gets it: of eight submissions carrying it, one is stored and the others are
// refused with ErrTokenSpent and store nothing; Spend then finds it spent, and a token Spend
// took first refuses the opinion too.
func TestOpinionSpendsItsCaptchaOnceAcrossProcesses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		t.Parallel()
		clock := newClock(fixedTime)
		a, b := twoStores(t, be, clock)
		ctx := context.Background()
		hash := sha256.Sum256([]byte("challenge answered right"))
		token := &Token{Hash: hash[:], Expires: fixedTime.Add(30 * time.Minute)}
		submit := func(st *Store, i int, tok *Token) error {
			_, err := st.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
				Content: fmt.Sprintf("门诊排队太久，第 %d 次提交", i), Token: tok}, newReceiptHash(t))
			return err
		}
		stored, refused := race(t, a, b, 8, func(st *Store, i int) error { return submit(st, i, token) })
		if stored != 1 || refused != 7 {
			t.Fatalf("eight submissions with one captcha on two processes: %d stored, %d refused; want 1 and 7", stored, refused)
		}
		var n int
		if err := a.read.QueryRow(`SELECT count(*) FROM opinions`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d opinions stored (%v), want 1", n, err)
		}
		if ok, err := b.Spend(ctx, hash[:], token.Expires); ok || err != nil {
			t.Fatalf("Spend after the opinion took the captcha: %v %v, want false", ok, err)
		}
		other := sha256.Sum256([]byte("spent by a wrong answer first"))
		if ok, err := a.Spend(ctx, other[:], token.Expires); !ok || err != nil {
			t.Fatalf("Spend: %v %v", ok, err)
		}
		if err := submit(b, 99, &Token{Hash: other[:], Expires: token.Expires}); !errors.Is(err, ErrTokenSpent) {
			t.Fatalf("an opinion with a spent captcha: %v, want ErrTokenSpent", err)
		}
		if err := submit(a, 100, &Token{Hash: []byte("short"), Expires: token.Expires}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a token hash of 5 bytes: %v, want ErrInvalid", err)
		}
	})
}
