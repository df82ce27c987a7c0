package stats

import (
	"context"
	"minsheng/internal/storetest"
	"testing"

	"minsheng/storage"
)

// TestNewChannelsAndSubmittersAreCounted: the channels and submitter categories of #16 are
// counted in the month's figures like the others (the monthly export and reports list them).
func TestNewChannelsAndSubmittersAreCounted(t *testing.T) {
	t.Parallel()
	storetest.ForEachEngine(t, func(t *testing.T, e storetest.Engine) {
		t.Parallel()
		w := newWorld(t, e).on("2026-04-05")
		w.opinion(storage.NewOpinion{Channel: "inspection", Submitter: "monitor", ReceivedOn: "2026-04-03"})
		w.opinion(storage.NewOpinion{Channel: "paper", Submitter: "party_member", ReceivedOn: "2026-04-04"})
		w.opinion(storage.NewOpinion{Channel: "petition", Submitter: "client", ReceivedOn: "2026-04-04"})
		w.opinion(storage.NewOpinion{Submitter: "deputy"})
		w.opinion(storage.NewOpinion{Submitter: "staff", Segment: "retired"})
		f, err := Compute(context.Background(), w.st, Query{Period: mustParse(t, "2026-04"), Viewer: office, Today: "2026-05-01"})
		if err != nil {
			t.Fatal(err)
		}
		count := func(list []Count, code string) int {
			for _, c := range list {
				if c.Code == code {
					return c.N
				}
			}
			t.Errorf("no row for %q in %v", code, list)
			return -1
		}
		for _, tt := range []struct {
			name string
			list []Count
			code string
			want int
		}{
			{"inspection", f.ByChannel, "inspection", 1},
			{"paper", f.ByChannel, "paper", 1},
			{"petition", f.ByChannel, "petition", 1},
			{"media, none", f.ByChannel, "media", 0},
			{"web", f.ByChannel, "web", 2},
			{"monitor", f.BySubmitter, "monitor", 1},
			{"party member", f.BySubmitter, "party_member", 1},
			{"client", f.BySubmitter, "client", 1},
			{"deputy", f.BySubmitter, "deputy", 1},
			{"staff", f.BySubmitter, "staff", 1},
		} {
			if got := count(tt.list, tt.code); got != tt.want {
				t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
			}
		}
	})
}
