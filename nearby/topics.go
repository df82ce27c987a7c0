package nearby

// The pair model's topic affinity: how alike two texts' topic vectors are (Topics).

import "math"

// TopicAffinity is how alike two topic vectors are: the cosine of their square roots (the
// Bhattacharyya coefficient of the vectors taken as distributions), between 0 and 1. On the
// tuning pairs it served the pair model better than the plain cosine of the vectors (see the
// weights' comment): the square root keeps one confident label from deciding alone.
func TopicAffinity(a, b []float64) float64 {
	return cosine(roots(a), roots(b))
}

func roots(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Sqrt(max(x, 0))
	}
	return out
}

func cosine(a, b []float64) float64 {
	var dot, na, nb float64
	for i := range min(len(a), len(b)) {
		dot += a[i] * b[i]
	}
	for _, x := range a {
		na += x * x
	}
	for _, x := range b {
		nb += x * x
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// PraiseTopic is the number, in the topic vectors storage passes (the shipped starting tag
// suggester's labels, suggest.Starting), of the family 表扬 (praise): the praise disagreement
// compares the two texts' probabilities of it. TestPraiseTopicIsPraise checks it against the
// model's labels. A vector too short to hold it counts as no praise.
const PraiseTopic = 44

// topicFeatures sets the similarities read from the topic vectors: the affinity
// (TopicAffinity) and the praise disagreement (the difference of the square roots of the two
// praise probabilities). Without Topics both are 0.
func (sc *Scorer) topicFeatures(text string, p *Pair) {
	if sc.topics == nil {
		p[FeatureTopics], p[FeaturePraise] = 0, 0
		return
	}
	if !sc.haveTopic {
		sc.topic, sc.haveTopic = roots(sc.topics(sc.text)), true
		sc.praise = praiseOf(sc.topic)
	}
	theirs := roots(sc.topics(text))
	p[FeatureTopics] = cosine(sc.topic, theirs)
	p[FeaturePraise] = math.Abs(sc.praise - praiseOf(theirs))
}

// praiseOf is the praise probability's square root in a vector of square roots.
func praiseOf(roots []float64) float64 {
	if len(roots) <= PraiseTopic {
		return 0
	}
	return roots[PraiseTopic]
}
