package suggest

// Report is how a model did on a set of labelled examples it was not trained on.
type Report struct {
	Examples int
	// Labels has one entry per label of the model, in its order.
	Labels []LabelScore
	// StylesMicroF1 is the micro-averaged F1 of the four styles together.
	StylesMicroF1 float64
	// NoStyle is how many examples had no style, and Quiet how many of them got no style
	// suggested: Quiet/NoStyle is the precision on opinions with no style.
	NoStyle, Quiet int
}

// LabelScore counts one label's hits and misses.
type LabelScore struct {
	Code, Kind string
	TP, FP, FN int
}

// Precision is TP/(TP+FP), 0 when nothing was suggested.
func (s LabelScore) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }

// Recall is TP/(TP+FN), 0 when nothing was to be found.
func (s LabelScore) Recall() float64 { return ratio(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of precision and recall.
func (s LabelScore) F1() float64 { return ratio(2*s.TP, 2*s.TP+s.FP+s.FN) }

// QuietShare is the share of examples with no style that got no style suggestion.
func (r Report) QuietShare() float64 { return ratio(r.Quiet, r.NoStyle) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluate measures m on examples: a label counts as suggested when Suggest returns it.
// parent is as for Suggest.
func Evaluate(m *Model, examples []Example, parent func(string) string) Report {
	r := Report{Examples: len(examples), Labels: make([]LabelScore, len(m.Labels))}
	pos := map[string]int{}
	for i, l := range m.Labels {
		r.Labels[i] = LabelScore{Code: l.Code, Kind: l.Kind}
		pos[l.Code] = i
	}
	stp, sfp, sfn := 0, 0, 0
	for _, ex := range examples {
		want := map[string]bool{}
		hasStyle := false
		for _, code := range ex.Labels {
			want[code] = true
			if i, ok := pos[code]; ok && m.Labels[i].Kind == KindStyle {
				hasStyle = true
			}
		}
		got := map[string]bool{}
		suggestedStyle := false
		for _, s := range m.Suggest(ex.Text, parent) {
			got[s.Code] = true
			if s.Kind == KindStyle {
				suggestedStyle = true
			}
		}
		for i, l := range m.Labels {
			switch {
			case got[l.Code] && want[l.Code]:
				r.Labels[i].TP++
			case got[l.Code]:
				r.Labels[i].FP++
			case want[l.Code]:
				r.Labels[i].FN++
			}
		}
		if !hasStyle {
			r.NoStyle++
			if !suggestedStyle {
				r.Quiet++
			}
		}
	}
	for _, s := range r.Labels {
		if s.Kind == KindStyle {
			stp, sfp, sfn = stp+s.TP, sfp+s.FP, sfn+s.FN
		}
	}
	r.StylesMicroF1 = ratio(2*stp, 2*stp+sfp+sfn)
	return r
}

// Add sums two reports of the same labels (as cross-validation's folds), recomputing the
// style micro-F1 from the summed counts.
func (r Report) Add(o Report) Report {
	if r.Labels == nil {
		return o
	}
	out := Report{Examples: r.Examples + o.Examples, NoStyle: r.NoStyle + o.NoStyle, Quiet: r.Quiet + o.Quiet}
	idx := map[string]int{}
	for _, l := range r.Labels {
		idx[l.Code] = len(out.Labels)
		out.Labels = append(out.Labels, l)
	}
	for _, l := range o.Labels {
		if i, ok := idx[l.Code]; ok {
			out.Labels[i].TP += l.TP
			out.Labels[i].FP += l.FP
			out.Labels[i].FN += l.FN
		} else {
			out.Labels = append(out.Labels, l)
		}
	}
	tp, fp, fn := 0, 0, 0
	for _, l := range out.Labels {
		if l.Kind == KindStyle {
			tp, fp, fn = tp+l.TP, fp+l.FP, fn+l.FN
		}
	}
	out.StylesMicroF1 = ratio(2*tp, 2*tp+fp+fn)
	return out
}
