package suggest

import (
	"bytes"
	_ "embed"
	"sync"
)

// startingModel is the model trained on the project's corpus (suggest/corpus/train*.jsonl),
// the one a new portal suggests with until it has learnt from its own office. It is made by
// `go test ./suggest/corpus -run TestStartingModel -update`; that test checks, every run, that
// it records the fingerprint of the corpus and trainer as they are.
//
//go:embed starting.model
var startingModel []byte

// StartingBytes is the encoded starting model.
func StartingBytes() []byte { return startingModel }

// starting is the starting model, decoded once: a Model is never changed after it is made
// (retraining makes a new one), so every learner of the process may share it. Decoding the
// 7 MB model takes a fifth of a second, seconds under the race detector.
var starting = sync.OnceValues(func() (*Model, error) { return Decode(bytes.NewReader(startingModel)) })

// Starting returns the starting model.
func Starting() (*Model, error) { return starting() }
