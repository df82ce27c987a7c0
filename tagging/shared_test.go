package tagging

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"minsheng/internal/testkit"
	"minsheng/storage"
	"minsheng/suggest"
)

// TestModelSwitchReachesTheOtherProcess: a model another process switched to (a retrain under
// its lease) is the one this process suggests with within storage.GenerationsEvery.
func TestModelSwitchReachesTheOtherProcess(t *testing.T) {
	ctx := context.Background()
	clock := testkit.NewClock(time.Date(2026, 4, 15, 2, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "t.db")
	var stores [2]*storage.Store
	for i := range stores {
		st, err := storage.Open(ctx, path, storage.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		stores[i] = st
	}
	b, err := Open(ctx, stores[1])
	if err != nil {
		t.Fatal(err)
	}
	if b.Model().Info.FromOffice != 0 {
		t.Fatal("B does not start with the starting model")
	}
	m, err := suggest.Starting()
	if err != nil {
		t.Fatal(err)
	}
	m.Info.FromOffice = 42 // a mark to know the switched model by
	blob, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stores[0].SaveModel(ctx, blob, "{}", true, keepModels); err != nil { // process A switches
		t.Fatal(err)
	}
	clock.Advance(storage.GenerationsEvery)
	if got := b.Model().Info.FromOffice; got != 42 {
		t.Fatalf("B suggests with a model marked %d after A switched, want 42", got)
	}
}
