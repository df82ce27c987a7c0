package storage

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// spentHashes are n token hashes, the even ones spent in s.
func spentHashes(t *testing.T, s *Store, n int) [][]byte {
	t.Helper()
	hashes := make([][]byte, n)
	for i := range hashes {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s token %d", t.Name(), i)))
		hashes[i] = h[:]
		if i%2 == 0 {
			if ok, err := s.Spend(context.Background(), h[:], fixedTime.Add(time.Hour)); !ok || err != nil {
				t.Fatalf("Spend %d: %v %v", i, ok, err)
			}
		}
	}
	return hashes
}

// askAll asks Spent of every hash at once and fails the test on a wrong answer.
func askAll(t *testing.T, s *Store, hashes [][]byte) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(hashes))
	for i, h := range hashes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			spent, err := s.Spent(context.Background(), h)
			if err != nil || spent != (i%2 == 0) {
				errs <- fmt.Errorf("Spent of token %d: %v %v, want %v", i, spent, err, i%2 == 0)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Many receipt pages at once each get their own answer, on both engines; on PostgreSQL the
// look-ups that came while one was on its way went together, at most spentLookupsMost a
// statement.
func TestSpentLookupsAtOnceEachGetTheirAnswer(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		askAll(t, s, spentHashes(t, s, 2*spentLookupsMost+10))
	})
}

// holdSpentTokens locks spent_tokens from another connection until the returned function is
// called, as a long migration would: the look-up on its way waits for it.
func holdSpentTokens(t *testing.T, url string) (release func()) {
	t.Helper()
	ctx := context.Background()
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE spent_tokens IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := tx.Rollback(ctx); err != nil {
			t.Error(err)
		}
		other.Close(ctx)
	}
}

// waitForWaiting waits until n look-ups wait behind the one on its way.
func waitForWaiting(t *testing.T, s *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		s.spentLookups.mu.Lock()
		w := len(s.spentLookups.waiting)
		s.spentLookups.mu.Unlock()
		if w >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d look-ups waiting, want %d", w, n)
		}
	}
}

// While one look-up is on its way the others wait and then go together: 1 + 300 look-ups in
// three statements (the one, then 256, then 44), each with its own answer; one whose request
// was cancelled meanwhile fails alone.
func TestPostgresSpentLookupsGoTogether(t *testing.T) {
	t.Parallel()
	url := postgresDatabase(t)
	s := openAt(t, url, fixedClock)
	all := spentHashes(t, s, 302) // all[300] is spent, all[301] not
	hashes := all[:300]
	release := holdSpentTokens(t, url)
	first := make(chan error, 1)
	go func() {
		spent, err := s.Spent(context.Background(), all[300])
		if err == nil && !spent {
			err = fmt.Errorf("the first token is not spent")
		}
		first <- err
	}()
	for s.spentLookups.statements.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() {
		_, err := s.Spent(cancelled, all[301])
		gone <- err
	}()
	waitForWaiting(t, s, 1)
	cancel()
	if err := <-gone; err != context.Canceled {
		t.Fatalf("the cancelled look-up: %v, want context.Canceled", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		askAll(t, s, hashes)
	}()
	waitForWaiting(t, s, 301) // the cancelled one still holds its place
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	<-done
	if got := s.spentLookups.statements.Load(); got != 3 {
		t.Errorf("301 look-ups went in %d statements, want 3 (1 + 256 + 45)", got)
	}
}

// A schema change under a running portal (a migration adding a column, the table rewritten and
// its plans thrown away) and a restart of the server (every connection of the portal ended)
// do not break the receipt page's look-ups: the statements the pools prepared are prepared
// again.
func TestPostgresSpentLookupsSurviveSchemaChangeAndRestart(t *testing.T) {
	t.Parallel()
	url := postgresDatabase(t)
	s := openAt(t, url, fixedClock)
	hashes := spentHashes(t, s, 8)
	askAll(t, s, hashes) // every read connection has the statement prepared now
	ctx := context.Background()
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	if _, err := other.Exec(ctx, `ALTER TABLE spent_tokens ADD COLUMN note TEXT NOT NULL DEFAULT 'x';
		ALTER TABLE spent_tokens ALTER COLUMN until_on TYPE VARCHAR(10)`); err != nil {
		t.Fatal(err)
	}
	askAll(t, s, hashes)
	endConnections(t, other)
	askAll(t, s, hashes)
	// Any read of the pool, not only Spent's: each runs again on a live connection.
	endConnections(t, other)
	for i := range postgresReadPool + 1 {
		if _, err := s.Generations(ctx); err != nil {
			t.Fatalf("read %d after the connections were ended: %v", i, err)
		}
	}
}

// endConnections ends every connection of the store to other's database, as a restart of the
// server does.
func endConnections(t *testing.T, other *pgx.Conn) {
	t.Helper()
	var ended int
	if err := other.QueryRow(context.Background(), `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'minsheng') x`).Scan(&ended); err != nil {
		t.Fatal(err)
	}
	if ended == 0 {
		t.Fatal("no connection of the store was ended")
	}
}
