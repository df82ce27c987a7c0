package suggest

import (
	"bytes"
	_ "embed"
)

// startingModel is the model trained on the project's corpus (suggest/corpus/train.jsonl), the
// one a new portal suggests with until it has learnt from its own office. It is made by
// `go test ./suggest/corpus -run TestStartingModel -update`, and that test checks, every run,
// that training afresh on the corpus gives exactly these bytes.
//
//go:embed starting.model
var startingModel []byte

// StartingBytes is the encoded starting model.
func StartingBytes() []byte { return startingModel }

// Starting decodes the starting model.
func Starting() (*Model, error) { return Decode(bytes.NewReader(startingModel)) }
