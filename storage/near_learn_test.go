package storage

import (
	"bufio"
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"minsheng/nearby"
)

// learnPairs are n same-problem pairs of the project's training pairs from line from on
// (nearby/testdata/tuning.tsv): opinions told two ways, as the office would group them.
func learnPairs(t *testing.T, from, n int) [][2]string {
	t.Helper()
	f, err := os.Open("../nearby/testdata/tuning.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan() && len(out) < n; line++ {
		fields := strings.Split(sc.Text(), "\t")
		if line >= from && len(fields) == 3 && fields[0] == "same" {
			out = append(out, [2]string{fields[1], fields[2]})
		}
	}
	return out
}

// Ensure the office's grouping decisions change what the look-up suggests next time, on both
// engines: grouping pairs the model scored under the threshold (归入同一问题) and learning
// raises the shift, and pairs of the same kind it did not suggest before are suggested after;
// taking them apart again (移出问题) and learning lowers it; and a pair the office took apart is
// never suggested again, either way round.
func TestNearLearnsFromGrouping(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		nearBackground(t, s)
		texts := learnPairs(t, 1670, 100) // the sixth held-out file's: among the hardest
		ids := make([][2]string, len(texts))
		for i, p := range texts {
			ids[i] = [2]string{mustCreateOpinion(t, s, NewOpinion{Content: p[0]}), mustCreateOpinion(t, s, NewOpinion{Content: p[1]})}
		}
		// Not indexed: today's opinions are read row by row (nearToday), and the learning scores
		// the pairs with the same (empty) document frequencies as the look-up. Indexing 200
		// opinions ran out of the write timeout on PostgreSQL under the race detector at load 30.
		suggested := func(i int) (bool, float64) {
			got := nearIDs(t, s, ids[i][1], nil)
			score, ok := got[ids[i][0]]
			return ok, score
		}
		var scored []decidedPair
		for _, p := range texts {
			scored = append(scored, decidedPair{a: searchText(p[0]), b: searchText(p[1]), same: true})
		}
		probs, err := s.scoreDecided(ctx, scored)
		if err != nil {
			t.Fatal(err)
		}
		// The pairs the model missed: every other one the office groups, the rest are probes.
		var missed, taught, probes, found []int
		for i := range texts {
			ok, _ := suggested(i)
			switch {
			case ok:
				found = append(found, i)
			case probs[i].Probability < nearby.Threshold:
				missed = append(missed, i)
			}
		}
		for k, i := range missed {
			if k%2 == 0 {
				taught = append(taught, i)
			} else {
				probes = append(probes, i)
			}
		}
		if len(taught) < 8 || len(found) == 0 {
			t.Fatalf("of %d pairs %d missed, %d found: too few to learn from", len(texts), len(missed), len(found))
		}
		if out, err := s.LearnNearDuplicates(ctx); err != nil || out != (NearLearning{}) {
			t.Fatalf("learning before any decision: %+v, %v; want nothing and no shift", out, err)
		}

		for _, i := range taught {
			if _, err := s.Group(ctx, 0, ids[i][0], ids[i][1], "同一问题"); err != nil {
				t.Fatal(err)
			}
		}
		grouped, err := s.LearnNearDuplicates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("after grouping %d missed pairs: %+v, look-up threshold %.3f", len(taught), grouped, nearby.ThresholdFor(grouped.Shift))
		if grouped.Same != len(taught) || grouped.Different != 0 || grouped.Shift <= 0 {
			t.Fatalf("learnt %+v from %d groupings; want them all, a positive shift", grouped, len(taught))
		}
		var newly int
		for _, i := range probes {
			ok, score := suggested(i)
			// Suggested only if it reaches the shifted threshold (the look-up keeps at most ten,
			// so one that reaches it may still be left out behind ten better ones).
			reach := probs[i].Probability >= nearby.ThresholdFor(math.Round(grouped.Shift*1000)/1000)
			if ok && !reach {
				t.Errorf("probe %q / %q at %.3f: suggested (%.3f) under the shifted threshold", texts[i][0], texts[i][1], probs[i].Probability, score)
			}
			if ok {
				newly++
			}
		}
		t.Logf("%d of %d probes newly suggested", newly, len(probes))
		if newly == 0 {
			t.Fatalf("no probe newly suggested after the office's groupings (of %d)", len(probes))
		}

		// 移出问题: each taught pair taken apart again.
		for _, i := range taught {
			first, err := s.Opinion(ctx, ids[i][0])
			if err != nil {
				t.Fatal(err)
			}
			leaver := ids[i][1] // the member, not the carrier, leaves
			if first.MergedInto != "" {
				leaver = ids[i][0]
			}
			if err := s.Leave(ctx, 0, leaver); err != nil {
				t.Fatal(err)
			}
		}
		split, err := s.LearnNearDuplicates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("after taking them apart: %+v", split)
		if split.Same != 0 || split.Different != len(taught) || split.Shift >= 0 {
			t.Errorf("learnt %+v from %d splits; want them all, a negative shift", split, len(taught))
		}
		for _, i := range probes {
			if ok, score := suggested(i); ok {
				t.Errorf("probe %d still suggested (%.3f) after the office took its kind apart", i, score)
			}
		}

		// A pair the model suggests even with that shift, grouped and taken apart, is never
		// suggested again.
		i := found[0]
		for _, j := range found {
			if probs[j].Probability > probs[i].Probability {
				i = j
			}
		}
		if ok, _ := suggested(i); !ok {
			t.Fatalf("the best found pair (%.3f) is not suggested at the shift %.3f", probs[i].Probability, split.Shift)
		}
		pid, err := s.Group(ctx, 0, ids[i][0], ids[i][1], "同一问题")
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Problem(ctx, pid, nil)
		if err != nil {
			t.Fatal(err)
		}
		member := ids[i][0]
		if member == p.Carrier {
			member = ids[i][1]
		}
		if err := s.Leave(ctx, 0, member); err != nil {
			t.Fatal(err)
		}
		if got := nearIDs(t, s, ids[i][1], nil); got[ids[i][0]] != 0 {
			t.Errorf("the pair taken apart is suggested again (%.3f)", got[ids[i][0]])
		}
		if got := nearIDs(t, s, ids[i][0], nil); got[ids[i][1]] != 0 {
			t.Errorf("the pair taken apart is suggested again the other way (%.3f)", got[ids[i][1]])
		}
	})
}
