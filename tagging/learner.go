// Package tagging is the learning loop of the tag suggester (汇总梳理): it keeps the model the
// portal suggests with, retrains it from the office's own tagging decisions, and switches to a
// new model only when it measures at least as well as the one in use on items neither was
// trained on.
//
// What it learns from: the project's corpus (suggest/corpus: train.jsonl) and every opinion a
// reviewer has sorted (storage.Decisions). What it measures on: the corpus's held-out file and
// one fifth of the office's decisions, chosen by a hash of the opinion's id so that an item
// held out once is held out for ever, and no model ever trains on it.
package tagging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/suggest"
	"minsheng/suggest/corpus"
)

// keepModels is how many trained models are kept (the one in use always is).
const keepModels = 5

// maxDecisions is how many of the office's newest decisions a retraining reads: training time
// grows with the examples (about 25 s for the corpus's 5,600 on two cores), and a county that
// has sorted a million opinions would otherwise train for hours and hold every text in memory.
const maxDecisions = 20000

// Learner holds the model in use. It is safe for concurrent use.
type Learner struct {
	store *storage.Store
	mu    sync.RWMutex
	model *suggest.Model
	// parents maps a manifestation's code to its style's, from the taxonomy (administrators
	// add manifestations), for showing a sub-tag only with its style.
	parents map[string]string
	// retrain runs one at a time: a scheduled run and a command never train side by side.
	retrain sync.Mutex
	// corpus gives the project's examples: package corpus's files, or what WithCorpus set.
	corpus func() (train, heldout []suggest.Example, err error)
	// gen is storage.GenModel when the model in use was read: another process that retrained
	// and switched moves it on, and Model reads the new one (within storage.GenerationsEvery).
	gen      atomic.Int64
	reloadMu sync.Mutex
}

// Option changes how a learner is opened.
type Option func(*Learner)

// WithCorpus makes the learner learn from train and measure on heldout in place of the
// project's corpus, with the office's decisions added as always. Tests use it with a few
// examples, to exercise the loop in seconds rather than train the full model.
func WithCorpus(train, heldout []suggest.Example) Option {
	return func(l *Learner) {
		l.corpus = func() ([]suggest.Example, []suggest.Example, error) { return train, heldout, nil }
	}
}

func projectCorpus() (train, heldout []suggest.Example, err error) {
	if train, err = corpus.Train(); err != nil {
		return nil, nil, err
	}
	heldout, err = corpus.Heldout()
	return train, heldout, err
}

// Open returns a learner with the store's active model, or the starting model when the store
// has none yet.
func Open(ctx context.Context, store *storage.Store, opts ...Option) (*Learner, error) {
	l := &Learner{store: store, corpus: projectCorpus}
	for _, o := range opts {
		o(l)
	}
	tags, err := store.Tags(ctx)
	if err != nil {
		return nil, err
	}
	l.parents = parentsOf(tags)
	gen, err := store.Generation(ctx, storage.GenModel) // before the model: a later switch shows next time
	if err != nil {
		return nil, err
	}
	l.gen.Store(gen)
	stored, err := store.ActiveModel(ctx)
	switch {
	case err == nil:
		m, err := suggest.Decode(bytes.NewReader(stored.Model))
		if err != nil {
			return nil, fmt.Errorf("tagging: model %d: %w", stored.ID, err)
		}
		l.model = m
	case errors.Is(err, storage.ErrNotFound):
		m, err := suggest.Starting()
		if err != nil {
			return nil, err
		}
		l.model = m
	default:
		return nil, err
	}
	return l, nil
}

// Model returns the model in use: the one another process switched to, once its generation
// is read; should reading it fail, the model held serves on.
func (l *Learner) Model() *suggest.Model {
	if l.store != nil { // nil: ReadOnly, the model read once
		if gen, err := l.store.Generation(context.Background(), storage.GenModel); err == nil && gen != l.gen.Load() {
			l.reload(gen)
		}
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.model
}

// reload reads the active model of generation gen, once however many ask together.
func (l *Learner) reload(gen int64) {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	if l.gen.Load() == gen {
		return
	}
	ctx := context.Background()
	stored, err := l.store.ActiveModel(ctx)
	if err != nil {
		return
	}
	m, err := suggest.Decode(bytes.NewReader(stored.Model))
	if err != nil {
		return
	}
	tags, err := l.store.Tags(ctx)
	if err != nil {
		return
	}
	l.mu.Lock()
	l.model, l.parents = m, parentsOf(tags)
	l.mu.Unlock()
	l.gen.Store(gen)
}

// Suggest is the model in use's suggestions for text; a manifestation comes only with its style.
func (l *Learner) Suggest(text string) []suggest.Suggestion {
	return l.Model().Suggest(text, l.parent)
}

func (l *Learner) parent(code string) string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.parents[code]
}

func parentsOf(tags []storage.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		if t.Style != "" {
			m[t.Code] = t.Style
		}
	}
	return m
}

// Outcome is what one retraining did.
type Outcome struct {
	Switched bool
	// Old and New are the two models' figures on the same held-out items (today's).
	Old, New suggest.Report
	Info     suggest.Info
}

// Retrain trains a model on the corpus and the office's decisions, measures it and the model
// in use on the same held-out items, and switches when the new one's micro-F1 over the four
// styles is at least the old one's and it is no less quiet on opinions with no style. The new
// model is kept either way, for the model page.
func (l *Learner) Retrain(ctx context.Context, now time.Time) (Outcome, error) {
	l.retrain.Lock()
	defer l.retrain.Unlock()
	train, heldout, office, err := l.examples(ctx)
	if err != nil {
		return Outcome{}, err
	}
	tags, err := l.store.Tags(ctx)
	if err != nil {
		return Outcome{}, err
	}
	labels, keywords := labelsOf(tags)
	l.mu.Lock()
	l.parents = parentsOf(tags)
	l.mu.Unlock()
	m, err := suggest.Train(train, labels, suggest.Options{Keywords: keywords})
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{
		Old: suggest.Evaluate(l.Model(), heldout, l.parent),
		New: suggest.Evaluate(m, heldout, l.parent),
	}
	m.Info.TrainedAt = now
	m.Info.FromOffice = office
	m.Info.Heldout = out.New
	out.Info = m.Info
	out.Switched = out.New.StylesMicroF1 >= out.Old.StylesMicroF1 && out.New.QuietShare() >= out.Old.QuietShare()
	blob, err := m.Bytes()
	if err != nil {
		return Outcome{}, err
	}
	info, err := json.Marshal(m.Info)
	if err != nil {
		return Outcome{}, err
	}
	if _, err := l.store.SaveModel(ctx, blob, string(info), out.Switched, keepModels); err != nil {
		return Outcome{}, err
	}
	if out.Switched {
		l.mu.Lock()
		l.model = m
		l.mu.Unlock()
	}
	return out, nil
}

// examples gathers the training and held-out examples; office is how many of the training
// examples are the office's own.
func (l *Learner) examples(ctx context.Context) (train, heldout []suggest.Example, office int, err error) {
	if train, heldout, err = l.corpus(); err != nil {
		return nil, nil, 0, err
	}
	train = append([]suggest.Example(nil), train...)
	heldout = append([]suggest.Example(nil), heldout...)
	decisions, err := l.store.Decisions(ctx, maxDecisions)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, d := range decisions {
		ex := suggest.Example{Text: d.Text, Labels: append(append([]string{}, d.Styles...), d.Tags...), Office: true}
		if HeldOut(d.ID) {
			heldout = append(heldout, ex)
		} else {
			train = append(train, ex)
			office++
		}
	}
	return train, heldout, office, nil
}

// HeldOut reports whether the opinion id is one of the office's items kept for measuring: one
// in five, by a hash of the id, so the choice never changes.
func HeldOut(id string) bool {
	h := sha256.Sum256([]byte("minsheng heldout " + id))
	return h[0]%5 == 0
}

// labelsOf turns the taxonomy into the labels to learn (the four styles, then every tag in use)
// and the tags' keywords.
func labelsOf(tags []storage.Tag) ([]suggest.Label, []suggest.Keywords) {
	var labels []suggest.Label
	for _, st := range sifeng.Styles {
		labels = append(labels, suggest.Label{Code: st.Code, Kind: suggest.KindStyle})
	}
	var keywords []suggest.Keywords
	for _, t := range tags {
		if t.Retired() {
			continue
		}
		kind := suggest.KindFamily
		if t.Kind == storage.TagManifestation {
			kind = suggest.KindManifestation
		}
		labels = append(labels, suggest.Label{Code: t.Code, Kind: kind})
		if len(t.Keywords) > 0 {
			keywords = append(keywords, suggest.Keywords{Code: t.Code, Words: t.Keywords})
		}
	}
	return labels, keywords
}

// ReadOnly returns a learner that only suggests, for the database at path as the portal would
// (its active model, or the starting model), reading the file without writing to it; with path
// "" it is the starting model with the taxonomy a new database is seeded with. It cannot retrain.
func ReadOnly(ctx context.Context, path string) (*Learner, []storage.Tag, error) {
	if path == "" {
		tags, err := storage.SeededTags(ctx)
		if err != nil {
			return nil, nil, err
		}
		m, err := suggest.Starting()
		if err != nil {
			return nil, nil, err
		}
		return &Learner{parents: parentsOf(tags), model: m}, tags, nil
	}
	stored, tags, err := storage.ReadSuggestSetup(ctx, path)
	l := &Learner{parents: parentsOf(tags)}
	switch {
	case err == nil:
		l.model, err = suggest.Decode(bytes.NewReader(stored.Model))
	case errors.Is(err, storage.ErrNotFound) && tags != nil:
		l.model, err = suggest.Starting()
	}
	if err != nil {
		return nil, nil, err
	}
	return l, tags, nil
}
