package corpus

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"minsheng/suggest"
)

var update = flag.Bool("update", false, "write suggest/starting.model from the corpus")

// TestStartingModel: the model the portal ships with is exactly what training on the corpus
// gives (training is deterministic), so it holds nothing but what the corpus teaches, and it is
// measured on the held-out file it never saw.
func TestStartingModel(t *testing.T) {
	m, err := TrainStarting()
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("../starting.model", b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(b, suggest.StartingBytes()) {
		t.Fatal("suggest/starting.model is not what the corpus trains: run go test ./suggest/corpus -run TestStartingModel -update")
	}
}
