package nearby

import (
	"math"
	"math/rand"
	"sort"
	"testing"
)

// The pair model's weights (nearby.go) are fitted here, on the tuning pairs only, and the
// constants in code are checked against the fit, like a golden value: change the features or
// the pairs, and this test says what the weights become.

// tuningFeatures is the pair model's three similarities for each tuning pair, with the document
// frequencies of the background and the tuning pairs (as the pipeline measurement counts them).
func tuningFeatures(t *testing.T) (xs [][3]float64, ys []bool) {
	t.Helper()
	pairs := readPairs(t, "tuning.tsv")
	c := newCollection(readBackground(t), pairs)
	for _, b := range c.queries {
		sc := NewScorer(c.texts[c.partner[b]], &c.stats, startingTopics)
		ch, bi, to := sc.Features(c.texts[b])
		xs = append(xs, [3]float64{ch, bi, to})
		ys = append(ys, c.same[b])
	}
	return xs, ys
}

// fitPairModel is logistic regression by Newton's method: bias and three weights minimising the
// mean log-loss plus PairModelPenalty/2 times the squared weights (the bias not penalised).
func fitPairModel(xs [][3]float64, ys []bool) [4]float64 {
	var w [4]float64
	for iter := 0; iter < 100; iter++ {
		var g [4]float64
		var h [4][4]float64
		n := float64(len(xs))
		for i, x := range xs {
			v := [4]float64{1, x[0], x[1], x[2]}
			z := 0.0
			for j := range v {
				z += w[j] * v[j]
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if ys[i] {
				y = 1
			}
			for j := range v {
				g[j] += (p - y) * v[j] / n
				for k := range v {
					h[j][k] += p * (1 - p) * v[j] * v[k] / n
				}
			}
		}
		for j := 1; j < 4; j++ {
			g[j] += PairModelPenalty * w[j]
			h[j][j] += PairModelPenalty
		}
		step := solve4(h, g)
		var size float64
		for j := range w {
			w[j] -= step[j]
			size += math.Abs(step[j])
		}
		if size < 1e-12 {
			break
		}
	}
	return w
}

// solve4 solves h·x = g by Gaussian elimination with partial pivoting.
func solve4(h [4][4]float64, g [4]float64) [4]float64 {
	for c := 0; c < 4; c++ {
		p := c
		for r := c + 1; r < 4; r++ {
			if math.Abs(h[r][c]) > math.Abs(h[p][c]) {
				p = r
			}
		}
		h[c], h[p] = h[p], h[c]
		g[c], g[p] = g[p], g[c]
		for r := c + 1; r < 4; r++ {
			f := h[r][c] / h[c][c]
			for k := c; k < 4; k++ {
				h[r][k] -= f * h[c][k]
			}
			g[r] -= f * g[c]
		}
	}
	var x [4]float64
	for r := 3; r >= 0; r-- {
		s := g[r]
		for k := r + 1; k < 4; k++ {
			s -= h[r][k] * x[k]
		}
		x[r] = s / h[r][r]
	}
	return x
}

// Ensure the pair model's constants are what fitting on the tuning pairs gives.
func TestPairModelWeights(t *testing.T) {
	xs, ys := tuningFeatures(t)
	w := fitPairModel(xs, ys)
	t.Logf("fitted: Bias = %.4f, WeightCharacters = %.4f, WeightBigrams = %.4f, WeightTopics = %.4f", w[0], w[1], w[2], w[3])
	for i, c := range []struct {
		name string
		got  float64
	}{{"Bias", Bias}, {"WeightCharacters", WeightCharacters}, {"WeightBigrams", WeightBigrams}, {"WeightTopics", WeightTopics}} {
		if math.Abs(c.got-w[i]) > 1e-3 {
			t.Errorf("%s = %.4f in code, %.4f fitted on the tuning pairs", c.name, c.got, w[i])
		}
	}
}

// TestPairModelCrossValidated shows, with -v, how the pair model ranks the tuning pairs when each
// pair is scored by weights fitted without it (20 times five folds), beside the character cosine
// alone: the figures the features were chosen by.
func TestPairModelCrossValidated(t *testing.T) {
	xs, ys := tuningFeatures(t)
	type scored struct {
		s    float64
		same bool
	}
	quality := func(out []scored) (auc, precision float64) {
		sort.Slice(out, func(i, j int) bool { return out[i].s > out[j].s })
		pos := 0
		for _, o := range out {
			if o.same {
				pos++
			}
		}
		neg, seenNeg := len(out)-pos, 0
		for i := len(out) - 1; i >= 0; i-- {
			if out[i].same {
				auc += float64(seenNeg)
			} else {
				seenNeg++
			}
		}
		auc /= float64(pos * neg)
		tp, fp := 0, 0
		for _, o := range out {
			if o.same {
				tp++
			} else {
				fp++
			}
			if float64(tp) >= 0.8*float64(pos) {
				return auc, float64(tp) / float64(tp+fp)
			}
		}
		return auc, 0
	}
	const reps, k = 20, 5
	var auc, prec float64
	for rep := 0; rep < reps; rep++ {
		perm := rand.New(rand.NewSource(int64(rep))).Perm(len(xs))
		var out []scored
		for f := 0; f < k; f++ {
			var tx [][3]float64
			var ty []bool
			for i := range xs {
				if perm[i]%k != f {
					tx, ty = append(tx, xs[i]), append(ty, ys[i])
				}
			}
			w := fitPairModel(tx, ty)
			for i, x := range xs {
				if perm[i]%k == f {
					out = append(out, scored{w[0] + w[1]*x[0] + w[2]*x[1] + w[3]*x[2], ys[i]})
				}
			}
		}
		a, p := quality(out)
		auc += a / reps
		prec += p / reps
	}
	var chars []scored
	for i, x := range xs {
		chars = append(chars, scored{x[0], ys[i]})
	}
	ca, cp := quality(chars)
	t.Logf("tuning pairs, pair level: character cosine alone AUC %.3f, precision at recall 0.8 %.3f; pair model cross-validated AUC %.3f, precision at recall 0.8 %.3f", ca, cp, auc, prec)
	if auc < 0.9 || prec < 0.88 {
		t.Errorf("pair model cross-validated on the tuning pairs: AUC %.3f, precision at recall 0.8 %.3f; want ≥ 0.9 and ≥ 0.88", auc, prec)
	}
}
