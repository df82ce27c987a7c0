package suggest

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

func readTSV(t *testing.T, p string) []Example {
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" || strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		l, text, _ := strings.Cut(sc.Text(), "\t")
		ex := Example{Text: text}
		if l != "-" {
			ex.Labels = strings.Split(l, ",")
		}
		out = append(out, ex)
	}
	return out
}

func TestSmoke(t *testing.T) {
	tr := readTSV(t, "../sifeng/testdata/labelled.tsv")
	ho := readTSV(t, "../sifeng/testdata/heldout.tsv")
	var labels []Label
	for _, c := range []string{"formalism", "bureaucratism", "hedonism", "extravagance"} {
		labels = append(labels, Label{Code: c, Kind: KindStyle})
	}
	start := time.Now()
	m, err := Train(tr, labels, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained %d examples, %d features in %v", len(tr), len(m.Features), time.Since(start))
	r := Evaluate(m, ho, nil)
	t.Logf("microF1 %.2f quiet %d/%d", r.StylesMicroF1, r.Quiet, r.NoStyle)
	for _, l := range m.Labels {
		t.Logf("%s A=%.2f B=%.2f thr=%.2f", l.Code, l.A, l.B, l.Threshold)
	}
	for _, s := range m.Suggest("办个证跑了四趟，窗口的人说不归他们管", nil) {
		t.Logf("%+v", s)
	}
}
