package corpus

import (
	"os"
	"strconv"
	"testing"

	"minsheng/suggest"
)

func TestCVLocal(t *testing.T) {
	train, _ := Train()
	lam, _ := strconv.ParseFloat(os.Getenv("CV_LAMBDA"), 64)
	floor, _ := strconv.ParseFloat(os.Getenv("CV_FLOOR"), 64)
	opt := suggest.Options{Lambda: lam, NoUnigrams: os.Getenv("CV_NOUNI") != "", PrecisionFloor: floor}
	r, err := CrossValidate(train, Labels(train), opt, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("floor %g lambda %g nouni %v: styles microF1 %.3f quiet %.3f", floor, lam, opt.NoUnigrams, r.StylesMicroF1, r.QuietShare())
	for _, l := range r.Labels {
		if l.Kind == suggest.KindStyle {
			t.Logf("%s P %.2f R %.2f", l.Code, l.Precision(), l.Recall())
		}
	}
}
