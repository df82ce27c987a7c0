// Package suggest is the tag suggester of 汇总梳理: a multi-label text classifier that reads an
// opinion and says which of the four styles (四风), their manifestations and the secondary
// families the office would probably tag, with a calibrated score and the words that drove
// each suggestion. It learns from labelled examples: the corpus the project wrote, then the
// office's own tagging decisions (see Train).
//
// The model is one-vs-rest logistic regression over character n-grams and keyword features
// (features.go), small enough to load in milliseconds and score an opinion in well under one.
// Suggestions are advice: nothing here ever tags an opinion.
package suggest

import (
	"bytes"
	"compress/gzip"
	"encoding/gob"
	"fmt"
	"io"
	"math"
	"sort"
	"time"
)

// The kinds of label.
const (
	KindStyle         = "style"         // one of the four styles
	KindManifestation = "manifestation" // a manifestation of one style (sifeng.Manifestations)
	KindFamily        = "family"        // a secondary family (八项规定, 乱收费, 表扬 …)
)

// Label is one thing the model learns to suggest.
type Label struct {
	Code string
	Kind string
	// Calibration maps the linear score z to a probability 1/(1+exp(-(A·z+B))) (Platt
	// scaling, fitted on scores of examples the model had not seen); Threshold is the
	// probability from which the label is suggested.
	A, B, Threshold float64
	Bias            float64
}

// weight is one label's weight for a feature.
type weight struct {
	Label  uint16
	Weight float32
}

// Model is a trained suggester.
type Model struct {
	Labels   []Label
	Features []string   // feature names, by index
	IDF      []float32  // each feature's inverse document frequency, by index
	Weights  [][]weight // by feature index: the labels it counts for
	Keywords []Keywords // the tags' dictionary words it was trained with
	// foldedKeywords are Keywords folded as texts are, once (buildIndex).
	foldedKeywords []Keywords
	Unigrams       bool // single characters are features
	Info           Info
	index          map[string]int32
}

// Info says what a model learned from and how it measured, for the model page and for choosing
// between an old model and a new one.
type Info struct {
	TrainedAt time.Time
	// Examples is how many examples it was trained on; FromOffice how many of them were the
	// office's own tagging decisions (the rest are the project's corpus).
	Examples, FromOffice int
	// Heldout is how it measured on examples it never saw in training.
	Heldout Report
	// Corpus identifies the project corpus it learnt from (package corpus's Fingerprint).
	Corpus string
}

// TrainerVersion changes whenever training changes what it makes of the same examples
// (features, weighting, optimiser, thresholds), so that a model trained by an older trainer is
// known for what it is.
const TrainerVersion = 3

// Suggestion is one label the model would suggest for a text.
type Suggestion struct {
	Code  string
	Kind  string
	Score float64  // calibrated probability, 0 to 1
	Words []string // the words of the text that counted most for it, as written
}

// Suggest scores text and returns the labels whose probability reaches their threshold, most
// likely first. A manifestation is suggested only with its style (parent(code) is the style's
// code, "" for none), so a reviewer never sees a sub-tag without the style it belongs to.
func (m *Model) Suggest(text string, parent func(code string) string) []Suggestion {
	scores, v, folded, grams := m.score(text)
	var out []Suggestion
	styles := map[string]bool{}
	for i, l := range m.Labels {
		if l.Kind == KindStyle && scores[i] >= l.Threshold {
			styles[l.Code] = true
		}
	}
	for i, l := range m.Labels {
		if scores[i] < l.Threshold {
			continue
		}
		if l.Kind == KindManifestation && parent != nil && !styles[parent(l.Code)] {
			continue
		}
		out = append(out, Suggestion{Code: l.Code, Kind: l.Kind, Score: scores[i], Words: words(m.contributions(i, v), grams, folded, text)})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out
}

// Scores returns every label's calibrated probability for text, in the order of m.Labels.
func (m *Model) Scores(text string) []float64 {
	s, _, _, _ := m.score(text)
	return s
}

// score returns every label's probability, with the text's vector and features for working
// out, for the few labels suggested, which words counted (contributions).
func (m *Model) score(text string) (scores []float64, v vector, folded []rune, kept []gram) {
	grams, folded := extract(text, m.foldedKeywords, m.Unigrams)
	v, kept = m.vectorize(grams)
	z := make([]float64, len(m.Labels))
	for i := range m.Labels {
		z[i] = m.Labels[i].Bias
	}
	for k, f := range v.idx {
		for _, w := range m.Weights[f] {
			z[w.Label] += float64(w.Weight) * v.val[k]
		}
	}
	scores = make([]float64, len(m.Labels))
	for i, l := range m.Labels {
		scores[i] = sigmoid(l.A*z[i] + l.B)
	}
	return scores, v, folded, kept
}

// contributions is what each feature of v adds to label i's score.
func (m *Model) contributions(i int, v vector) []float64 {
	c := make([]float64, len(v.idx))
	for k, f := range v.idx {
		for _, w := range m.Weights[f] {
			if int(w.Label) == i {
				c[k] = float64(w.Weight) * v.val[k]
				break
			}
		}
	}
	return c
}

// words finds the phrases of the text that counted most for a label: each feature's share of
// the score is spread over its characters, the runs of characters that carry a real share
// (a tenth of the strongest at least) are the phrases, and the three strongest of two
// characters or more are returned as written in the original text, in the text's order.
func words(contrib []float64, grams []gram, folded []rune, text string) []string {
	share := make([]float64, len(folded))
	for k, c := range contrib {
		g := grams[k]
		if c <= 0 || g.end <= g.start {
			continue
		}
		for i := g.start; i < g.end; i++ {
			share[i] += c / float64(g.end-g.start)
		}
	}
	top := 0.0
	for _, v := range share {
		top = math.Max(top, v)
	}
	if top == 0 {
		return nil
	}
	type phrase struct {
		start, end int
		sum        float64
	}
	var phrases []phrase
	for i := 0; i < len(share); {
		if share[i] < top/10 {
			i++
			continue
		}
		p := phrase{start: i}
		for i < len(share) && share[i] >= top/10 {
			p.sum += share[i]
			i++
		}
		p.end = i
		if p.end-p.start >= 2 {
			phrases = append(phrases, p)
		}
	}
	sort.SliceStable(phrases, func(a, b int) bool { return phrases[a].sum > phrases[b].sum })
	if len(phrases) > 3 {
		phrases = phrases[:3]
	}
	sort.Slice(phrases, func(a, b int) bool { return phrases[a].start < phrases[b].start })
	// The folded text has as many runes as the original when the conversion kept lengths (it
	// does, character for character, for nearly all text); else the folded words are shown.
	source := folded
	if orig := []rune(text); len(orig) == len(folded) {
		source = orig
	}
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = string(source[p.start:p.end])
	}
	return out
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Encode writes the model, gzipped.
func (m *Model) Encode(w io.Writer) error {
	zw := gzip.NewWriter(w)
	if err := gob.NewEncoder(zw).Encode(m); err != nil {
		return fmt.Errorf("suggest: encode: %w", err)
	}
	return zw.Close()
}

// Decode reads a model written by Encode.
func Decode(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("suggest: decode: %w", err)
	}
	var m Model
	if err := gob.NewDecoder(zr).Decode(&m); err != nil {
		return nil, fmt.Errorf("suggest: decode: %w", err)
	}
	if len(m.Weights) != len(m.Features) || len(m.IDF) != len(m.Features) {
		return nil, fmt.Errorf("suggest: decode: %d features but %d weight lists", len(m.Features), len(m.Weights))
	}
	m.buildIndex()
	return &m, nil
}

// Bytes is Encode into memory.
func (m *Model) Bytes() ([]byte, error) {
	var b bytes.Buffer
	err := m.Encode(&b)
	return b.Bytes(), err
}

func (m *Model) buildIndex() {
	m.index = make(map[string]int32, len(m.Features))
	for i, f := range m.Features {
		m.index[f] = int32(i)
	}
	m.foldedKeywords = foldKeywords(m.Keywords)
}
