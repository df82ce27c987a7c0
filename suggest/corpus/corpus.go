package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"

	"minsheng/sifeng"
	"minsheng/suggest"
)

//go:embed *.jsonl keywords.json
var files embed.FS

// Keywords are the dictionary words of each tag (keywords.json, from the seeds' dictionaries
// and plain speech): the taxonomy of a new database is seeded with the same lists, which
// administrators then keep, and the starting model learns with them as features.
func Keywords() ([]suggest.Keywords, error) {
	b, err := files.ReadFile("keywords.json")
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	var byCode map[string][]string
	if err := json.Unmarshal(b, &byCode); err != nil {
		return nil, fmt.Errorf("corpus: keywords.json: %w", err)
	}
	codes := make([]string, 0, len(byCode))
	for code := range byCode {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	out := make([]suggest.Keywords, len(codes))
	for i, code := range codes {
		out[i] = suggest.Keywords{Code: code, Words: byCode[code]}
	}
	return out, nil
}

// item is one line of a corpus file.
type item struct {
	Text           string   `json:"text"`
	Styles         []string `json:"styles"`
	Manifestations []string `json:"manifestations"`
	Families       []string `json:"families"`
}

// trainFiles are the files to learn from: train.jsonl, then the files written after it
// (train2.jsonl …), in name order.
func trainFiles() ([]string, error) {
	return fs.Glob(files, "train*.jsonl")
}

// Train returns the examples to learn from, from every training file.
func Train() ([]suggest.Example, error) {
	names, err := trainFiles()
	if err != nil {
		return nil, err
	}
	var all []suggest.Example
	for _, name := range names {
		exs, err := read(name)
		if err != nil {
			return nil, err
		}
		all = append(all, exs...)
	}
	return all, nil
}

// Fingerprint identifies what the starting model is trained from: the training files' bytes
// and the trainer's version. The starting model records it, and a test checks that the model
// shipped was trained from the corpus as it is.
func Fingerprint() (string, error) {
	names, err := trainFiles()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "trainer %d\n", suggest.TrainerVersion)
	for _, name := range append(names, "keywords.json") {
		b, err := files.ReadFile(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Heldout returns the examples kept for measuring, which no model is ever trained on.
func Heldout() ([]suggest.Example, error) { return read("heldout.jsonl") }

func read(name string) ([]suggest.Example, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	var out []suggest.Example
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var it item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("corpus: %s:%d: %w", name, line, err)
		}
		labels := append(append(append([]string{}, it.Styles...), it.Manifestations...), it.Families...)
		out = append(out, suggest.Example{Text: it.Text, Labels: labels})
	}
	return out, sc.Err()
}

// Labels lists every label the examples use, with its kind: the four styles first, then the
// manifestations, then the families, each group in code order.
func Labels(sets ...[]suggest.Example) []suggest.Label {
	seen := map[string]bool{}
	for _, set := range sets {
		for _, ex := range set {
			for _, code := range ex.Labels {
				seen[code] = true
			}
		}
	}
	var out []suggest.Label
	for _, st := range sifeng.Styles {
		if seen[st.Code] {
			out = append(out, suggest.Label{Code: st.Code, Kind: suggest.KindStyle})
		}
	}
	var rest []suggest.Label
	for code := range seen {
		switch {
		case sifeng.Valid(code):
		case sifeng.ValidManifestation(code):
			rest = append(rest, suggest.Label{Code: code, Kind: suggest.KindManifestation})
		default:
			rest = append(rest, suggest.Label{Code: code, Kind: suggest.KindFamily})
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		if rest[i].Kind != rest[j].Kind {
			return rest[i].Kind == suggest.KindManifestation
		}
		return rest[i].Code < rest[j].Code
	})
	return append(out, rest...)
}

// TrainStarting trains the starting model on train.jsonl for every label the corpus uses, and
// records its figures on heldout.jsonl.
func TrainStarting() (*suggest.Model, error) {
	train, err := Train()
	if err != nil {
		return nil, err
	}
	heldout, err := Heldout()
	if err != nil {
		return nil, err
	}
	keywords, err := Keywords()
	if err != nil {
		return nil, err
	}
	m, err := suggest.Train(train, Labels(train), suggest.Options{Keywords: keywords})
	if err != nil {
		return nil, err
	}
	if m.Info.Corpus, err = Fingerprint(); err != nil {
		return nil, err
	}
	m.Info.Heldout = suggest.Evaluate(m, heldout, sifeng.StyleOf)
	return m, nil
}

// CrossValidate measures training options on the training file alone: each of k folds is
// scored by a model trained on the others, and the counts are summed. Choices about the model
// (features, regularisation, thresholds) are made on these figures, never on heldout.jsonl,
// which stays unseen until the final measurement.
func CrossValidate(examples []suggest.Example, labels []suggest.Label, opt suggest.Options, k int) (suggest.Report, error) {
	var total suggest.Report
	for fold := 0; fold < k; fold++ {
		var train, test []suggest.Example
		for i, ex := range examples {
			if i%k == fold {
				test = append(test, ex)
			} else {
				train = append(train, ex)
			}
		}
		m, err := suggest.Train(train, labels, opt)
		if err != nil {
			return suggest.Report{}, err
		}
		r := suggest.Evaluate(m, test, sifeng.StyleOf)
		total = total.Add(r)
	}
	return total, nil
}

// Sample is the first n examples of the training files and the first m of the held-out file:
// a small corpus for tests that exercise the learning loop rather than its quality.
func Sample(n, m int) (train, heldout []suggest.Example, err error) {
	if train, err = Train(); err != nil {
		return nil, nil, err
	}
	if heldout, err = Heldout(); err != nil {
		return nil, nil, err
	}
	return train[:min(n, len(train))], heldout[:min(m, len(heldout))], nil
}
