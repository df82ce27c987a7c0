package nearby

import "math"

// The office's own decisions as labels. When staff gather two opinions into one problem
// (归入同一问题) they say the pair is the same problem; when they take one out again (移出问题)
// they say it is not. Those are labelled pairs from the office itself, about its own units and
// its own way of writing, which the project's training pairs (testdata) cannot be. They adjust
// the pair model of one deployment: a shift of its log-odds, fitted on the office's pairs with
// the shipped model as the prior (Learn). A positive shift suggests more (the office gathers
// pairs the model scores below the threshold), a negative one fewer (it takes apart pairs the
// model suggested). The weights stay the project's: refitting all sixteen on a few dozen office
// pairs would forget what two thousand training pairs taught; a single number cannot.
//
// This cannot be scored on the held-out pairs (they hold no office's decisions): it is tested
// by behaviour (storage's TestNearLearnsFromGrouping and nearby's TestLearnShift).

// MaxShift bounds the shift either way: at 1.5 a pair the shipped model puts at 0.28 can at most
// reach the threshold (0.63), so no amount of grouping makes every pair a suggestion, and no
// amount of splitting leaves a pair the model puts at 0.87 unsuggested.
const MaxShift = 1.5

// PriorPairs is how many pairs' worth of confidence the shipped model keeps against the office's
// decisions: the shift's Gaussian prior at 0 has precision PriorPairs/4 (a pair at probability
// 1/2 carries a quarter of information). With twenty of the office's pairs the prior and the
// office weigh about the same; with two hundred the office leads.
const PriorPairs = 20

// Decided is one pair the office decided: the shipped model's probability for it and whether
// staff said it is the same problem.
type Decided struct {
	Probability float64
	Same        bool
}

// Learn fits the shift of the log-odds that makes the office's decided pairs most likely, with
// the shipped model as the prior (PriorPairs), bounded by MaxShift. No decisions: 0.
func Learn(pairs []Decided) float64 {
	if len(pairs) == 0 {
		return 0
	}
	logits := make([]float64, len(pairs))
	for i, p := range pairs {
		q := math.Min(math.Max(p.Probability, 1e-6), 1-1e-6)
		logits[i] = math.Log(q / (1 - q))
	}
	prior := PriorPairs / 4.0
	// The log-likelihood with its prior is concave in the shift, so its slope falls as the shift
	// grows: the best shift within the bounds is where the slope crosses 0, found by halving.
	slope := func(shift float64) float64 {
		g := -prior * shift
		for i, z := range logits {
			y := 0.0
			if pairs[i].Same {
				y = 1
			}
			g += y - 1/(1+math.Exp(-(z+shift)))
		}
		return g
	}
	lo, hi := -MaxShift, MaxShift
	if slope(hi) >= 0 {
		return hi
	}
	if slope(lo) <= 0 {
		return lo
	}
	for range 60 {
		mid := (lo + hi) / 2
		if slope(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// Shifted is probability p with its log-odds moved by shift: what the office's adjusted model
// says of a pair the shipped model puts at p.
func Shifted(p, shift float64) float64 {
	if shift == 0 || p <= 0 || p >= 1 {
		return p
	}
	return 1 / (1 + math.Exp(-(math.Log(p/(1-p)) + shift)))
}

// ThresholdFor is the shipped model's probability from which the adjusted model reaches
// Threshold: looking up with it and shifting the scores found suggests exactly what the adjusted
// model would, at the look-up's speed.
func ThresholdFor(shift float64) float64 {
	return Shifted(Threshold, -shift)
}
