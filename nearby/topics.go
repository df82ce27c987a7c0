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

func (sc *Scorer) topicAffinity(text string) float64 {
	if sc.topics == nil {
		return 0
	}
	if !sc.haveTopic {
		sc.topic, sc.haveTopic = roots(sc.topics(sc.text)), true
	}
	return cosine(sc.topic, roots(sc.topics(text)))
}
