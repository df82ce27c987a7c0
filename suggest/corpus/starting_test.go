package corpus

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"minsheng/suggest"
)

var update = flag.Bool("update", false, "write suggest/starting.model from the corpus")

// TestStartingModel: the model the portal ships with was trained from the corpus as it is now,
// by this trainer (its fingerprint says so), and training is deterministic (the same examples
// give the same bytes), so the shipped model holds nothing but what the corpus teaches.
// "go test ./suggest/corpus -run TestStartingModel -update" trains it afresh and writes it.
func TestStartingModel(t *testing.T) {
	if *update {
		m, err := TrainStarting()
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../starting.model", b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	m, err := suggest.Starting()
	if err != nil {
		t.Fatal(err)
	}
	want, err := Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Corpus != want {
		t.Fatalf("suggest/starting.model was trained from another corpus or trainer (%.12s, now %.12s): run go test ./suggest/corpus -run TestStartingModel -update",
			m.Info.Corpus, want)
	}
	train, err := Train()
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Examples != len(train) {
		t.Errorf("the starting model learnt from %d examples, the corpus has %d", m.Info.Examples, len(train))
	}
	// Deterministic: two trainings of the same examples (a sample, to keep the test short
	// under the race detector) give the same bytes.
	sample := train[:200]
	var first []byte
	for i := 0; i < 2; i++ {
		m, err := suggest.Train(sample, Labels(sample), suggest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && !bytes.Equal(b, first) {
			t.Fatal("two trainings on the same examples gave different models")
		}
		first = b
	}
}
