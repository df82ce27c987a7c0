package suggest

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/optimize"
)

// Example is one labelled text: the codes of every label the office gave it (none is a
// decision too: an opinion with no style).
type Example struct {
	Text   string
	Labels []string
	Office bool // one of the office's own decisions, not the project's corpus
}

// Options tune training; the zero value takes the defaults.
type Options struct {
	Keywords     []Keywords // the tags' dictionary words, as features
	NoUnigrams   bool       // leave single characters out of the features
	MinDocs      int        // a feature must be in this many texts (default 2)
	Lambda       float64    // L2 regularisation (default 1e-5)
	Folds        int        // folds for the out-of-fold scores that calibrate (default 4)
	MinPositives int        // a label with fewer examples is not learnt (default 4)
	// PrecisionFloor: a label's threshold is the best F1 among those with at least this
	// out-of-fold precision, when any has (default 0.75; negative for the best F1 alone).
	PrecisionFloor float64
}

func (o Options) withDefaults() Options {
	if o.MinDocs == 0 {
		o.MinDocs = 2
	}
	if o.Lambda == 0 {
		o.Lambda = 1e-5
	}
	if o.Folds == 0 {
		o.Folds = 4
	}
	if o.MinPositives == 0 {
		o.MinPositives = 4
	}
	if o.PrecisionFloor == 0 {
		o.PrecisionFloor = 0.75
	}
	return o
}

// ErrTooFew is returned when no label has enough examples to learn.
var ErrTooFew = errors.New("suggest: too few labelled examples")

// Train learns a model for labels from examples. For each label it fits a logistic regression
// on all examples; before that, the same fit on all but one fold of the examples scores the
// fold it left out, and those out-of-fold scores (of examples the fit had not seen) set the
// label's calibration and threshold. Training is deterministic: the same examples give the
// same model.
func Train(examples []Example, labels []Label, opt Options) (*Model, error) {
	opt = opt.withDefaults()
	texts := make([][]gram, len(examples))
	folded := foldKeywords(opt.Keywords)
	for i, ex := range examples {
		texts[i], _ = extract(ex.Text, folded, !opt.NoUnigrams)
	}
	m := &Model{Keywords: opt.Keywords, foldedKeywords: folded, Unigrams: !opt.NoUnigrams}
	m.Features, m.IDF = vocabulary(texts, opt.MinDocs)
	m.buildIndex()
	xs := make([]vector, len(examples))
	for i := range texts {
		xs[i], _ = m.vectorize(texts[i])
	}
	var learnt []Label
	var ys [][]bool
	for _, l := range labels {
		y := make([]bool, len(examples))
		n := 0
		for i, ex := range examples {
			for _, code := range ex.Labels {
				if code == l.Code {
					y[i] = true
					n++
					break
				}
			}
		}
		if n >= opt.MinPositives && n < len(examples) {
			learnt = append(learnt, l)
			ys = append(ys, y)
		}
	}
	if len(learnt) == 0 {
		return nil, ErrTooFew
	}
	if len(learnt) > math.MaxUint16 {
		return nil, fmt.Errorf("suggest: %d labels is too many", len(learnt))
	}
	dim := len(m.Features)
	weights := make([][]float64, len(learnt))
	var wg sync.WaitGroup
	errs := make([]error, len(learnt))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for li := range learnt {
		wg.Add(1)
		sem <- struct{}{}
		go func(li int) {
			defer wg.Done()
			defer func() { <-sem }()
			w, l, err := fitLabel(xs, ys[li], dim, opt)
			if err != nil {
				errs[li] = fmt.Errorf("suggest: label %s: %w", learnt[li].Code, err)
				return
			}
			l.Code, l.Kind = learnt[li].Code, learnt[li].Kind
			learnt[li] = l
			weights[li] = w
		}(li)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m.Labels = learnt
	m.Weights = make([][]weight, dim)
	for li, w := range weights {
		for f := 0; f < dim; f++ {
			if math.Abs(w[f]) >= 1e-3 {
				m.Weights[f] = append(m.Weights[f], weight{uint16(li), float32(w[f])})
			}
		}
	}
	for _, ex := range examples {
		m.Info.Examples++
		if ex.Office {
			m.Info.FromOffice++
		}
	}
	return m, nil
}

// fitLabel fits one label: the out-of-fold scores first (for calibration and threshold), then
// the weights on every example. The returned Label has A, B, Threshold and Bias set.
func fitLabel(xs []vector, y []bool, dim int, opt Options) ([]float64, Label, error) {
	oof := make([]float64, len(xs))
	for fold := 0; fold < opt.Folds; fold++ {
		var trainX []vector
		var trainY []bool
		for i := range xs {
			if i%opt.Folds != fold {
				trainX, trainY = append(trainX, xs[i]), append(trainY, y[i])
			}
		}
		w, b, err := logistic(trainX, trainY, dim, opt.Lambda)
		if err != nil {
			return nil, Label{}, err
		}
		for i := fold; i < len(xs); i += opt.Folds {
			oof[i] = linear(w, b, xs[i])
		}
	}
	a, c := platt(oof, y)
	l := Label{A: a, B: c}
	probs := make([]float64, len(oof))
	for i, z := range oof {
		probs[i] = sigmoid(a*z + c)
	}
	l.Threshold = threshold(probs, y, opt.PrecisionFloor)
	w, b, err := logistic(xs, y, dim, opt.Lambda)
	if err != nil {
		return nil, Label{}, err
	}
	l.Bias = b
	return w, l, nil
}

func linear(w []float64, b float64, x vector) float64 {
	z := b
	for k, f := range x.idx {
		z += w[f] * x.val[k]
	}
	return z
}

// logistic minimises the mean logistic loss plus lambda/2·|w|² (the bias is not regularised)
// by L-BFGS. Positives are weighted up to balance a rare label (at most tenfold), so that its
// few examples are not drowned by the rest; calibration then restores honest probabilities.
func logistic(xs []vector, y []bool, dim int, lambda float64) ([]float64, float64, error) {
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	posWeight := 1.0
	if pos > 0 {
		posWeight = math.Min(10, math.Sqrt(float64(len(y)-pos)/float64(pos)))
	}
	n := float64(len(xs))
	eval := func(grad, p []float64) float64 {
		w, b := p[:dim], p[dim]
		loss := 0.0
		if grad != nil {
			for i := range grad {
				grad[i] = 0
			}
		}
		for i, x := range xs {
			z := linear(w, b, x)
			t, cw := 0.0, 1.0
			if y[i] {
				t, cw = 1, posWeight
			}
			// log(1+exp(z)) - t·z, computed without overflow.
			loss += cw * (softplus(z) - t*z)
			if grad != nil {
				g := cw * (sigmoid(z) - t) / n
				for k, f := range x.idx {
					grad[f] += g * x.val[k]
				}
				grad[dim] += g
			}
		}
		loss /= n
		reg := 0.0
		for f := 0; f < dim; f++ {
			reg += w[f] * w[f]
			if grad != nil {
				grad[f] += lambda * w[f]
			}
		}
		return loss + lambda/2*reg
	}
	problem := optimize.Problem{
		Func: func(p []float64) float64 { return eval(nil, p) },
		Grad: func(grad, p []float64) { eval(grad, p) },
	}
	settings := &optimize.Settings{MajorIterations: 300, GradientThreshold: 1e-6}
	res, err := optimize.Minimize(problem, make([]float64, dim+1), settings, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, 0, err
	}
	// Stopping at the iteration limit is not a failure: the weights are close enough.
	return res.X[:dim], res.X[dim], nil
}

func softplus(z float64) float64 {
	if z > 30 {
		return z
	}
	return math.Log1p(math.Exp(z))
}

// platt fits A and B so that 1/(1+exp(-(A·z+B))) is the probability of a positive, on
// out-of-fold scores z, with Platt's smoothed targets (a few examples never give certainty).
func platt(z []float64, y []bool) (float64, float64) {
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	neg := len(y) - pos
	hi, lo := (float64(pos)+1)/(float64(pos)+2), 1/(float64(neg)+2)
	eval := func(grad, p []float64) float64 {
		loss := 0.0
		if grad != nil {
			grad[0], grad[1] = 0, 0
		}
		for i, zi := range z {
			t := lo
			if y[i] {
				t = hi
			}
			s := p[0]*zi + p[1]
			loss += softplus(s) - t*s
			if grad != nil {
				g := sigmoid(s) - t
				grad[0] += g * zi
				grad[1] += g
			}
		}
		return loss
	}
	problem := optimize.Problem{
		Func: func(p []float64) float64 { return eval(nil, p) },
		Grad: func(grad, p []float64) { eval(grad, p) },
	}
	res, err := optimize.Minimize(problem, []float64{1, 0}, &optimize.Settings{MajorIterations: 200}, &optimize.LBFGS{})
	if (err != nil && res == nil) || res.X[0] <= 0 {
		return 1, 0 // a score that does not rank positives first keeps its plain logistic
	}
	return res.X[0], res.X[1]
}

// threshold picks the probability from which a label is suggested: the one of 0.30, 0.35 …
// 0.90 with the best F1 on the out-of-fold probabilities, among those whose precision is at
// least floor when any is; a tie takes the higher (fewer, surer suggestions).
func threshold(probs []float64, y []bool, floor float64) float64 {
	best, bestF1, bestPrecise := 0.5, -1.0, false
	for t := 0.30; t <= 0.901; t += 0.05 {
		tp, fp, fn := 0, 0, 0
		for i, p := range probs {
			switch {
			case p >= t && y[i]:
				tp++
			case p >= t:
				fp++
			case y[i]:
				fn++
			}
		}
		if tp == 0 {
			continue
		}
		prec := float64(tp) / float64(tp+fp)
		f1 := 2 * float64(tp) / float64(2*tp+fp+fn)
		precise := prec >= floor
		if (precise && !bestPrecise) || (precise == bestPrecise && f1 >= bestF1) {
			best, bestF1, bestPrecise = t, f1, precise
		}
	}
	return math.Round(best*100) / 100
}
