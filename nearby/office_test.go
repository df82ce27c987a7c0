package nearby

import (
	"math"
	"testing"
)

// Ensure the shift learnt from the office's decisions goes the way they point, stays at 0
// without them or when they agree with the model, is held back by the prior when they are few,
// and never passes MaxShift; and that ThresholdFor and Shifted suggest exactly what the shifted
// model would.
func TestLearnShift(t *testing.T) {
	many := func(n int, p float64, same bool) []Decided {
		out := make([]Decided, n)
		for i := range out {
			out[i] = Decided{Probability: p, Same: same}
		}
		return out
	}
	if s := Learn(nil); s != 0 {
		t.Errorf("no decisions: shift %.3f, want 0", s)
	}
	// Grouped pairs the model put under the threshold: the shift rises, more with more of them.
	few, lots := Learn(many(5, 0.5, true)), Learn(many(200, 0.5, true))
	if few <= 0 || lots <= few {
		t.Errorf("grouping pairs at 0.5: shift %.3f with 5, %.3f with 200; want 0 < the first < the second", few, lots)
	}
	if Shifted(0.5, lots) < Threshold {
		t.Errorf("after 200 groupings of pairs at 0.5 such a pair scores %.3f, under the threshold %.2f", Shifted(0.5, lots), Threshold)
	}
	// Pairs taken apart that the model suggested: the shift falls.
	if s := Learn(many(50, 0.7, false)); s >= 0 || Shifted(0.7, s) >= Threshold {
		t.Errorf("splitting pairs at 0.7: shift %.3f (they now score %.3f); want negative, under the threshold", s, Shifted(0.7, s))
	}
	// Decisions as calibrated as the model: no shift to speak of.
	calibrated := append(many(32, 0.8, true), many(8, 0.8, false)...)
	calibrated = append(calibrated, append(many(6, 0.2, true), many(24, 0.2, false)...)...)
	if s := Learn(calibrated); math.Abs(s) > 0.05 {
		t.Errorf("decisions the model calibrates: shift %.3f, want about 0", s)
	}
	if s := Learn(many(100000, 0.01, true)); s != MaxShift {
		t.Errorf("100000 groupings of pairs at 0.01: shift %.3f, want MaxShift %.1f", s, MaxShift)
	}
	for _, shift := range []float64{-MaxShift, -0.4, 0, 0.7, MaxShift} {
		th := ThresholdFor(shift)
		if math.Abs(Shifted(th, shift)-Threshold) > 1e-9 {
			t.Errorf("shift %.1f: ThresholdFor %.4f shifts to %.4f, not Threshold", shift, th, Shifted(th, shift))
		}
		for _, p := range []float64{th - 1e-6, th + 1e-6} {
			if (p >= th) != (Shifted(p, shift) >= Threshold) {
				t.Errorf("shift %.1f: %.6f is on the other side of the threshold once shifted", shift, p)
			}
		}
	}
}
