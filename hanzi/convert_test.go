package hanzi_test

import (
	"testing"

	"github.com/longbridgeapp/opencc"

	"minsheng/hanzi"
	"minsheng/suggest/corpus"
)

// TestConvertIsOpenCCs: Simplify gives what OpenCC's own Convert gives, on every text of the
// project's corpus (Simplified, as written), on each of them in Traditional characters (OpenCC's
// s2t, phrases included), and on texts made to hit the edges: phrases across the look-up window,
// characters outside the Basic Multilingual Plane, invalid UTF-8, Latin and full-width forms.
func TestConvertIsOpenCCs(t *testing.T) {
	cc, err := opencc.New("t2s")
	if err != nil {
		t.Fatal(err)
	}
	train, err := corpus.Train()
	if err != nil {
		t.Fatal(err)
	}
	heldout, err := corpus.Heldout()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"", "頭髮", "發現問題", "一干二淨", "乾淨的頭髮和發現", "門診醫生態度冷漠，頭髮", "𠀀𪚥門診\xff\xfe醫院",
		"ＡＢＣ１２３　門難進", "abc 123", "皇后", "著作和看著", "理髮店裡的頭髮發黃", "０１２３４５６７８９頭髮",
	}
	for _, e := range append(train, heldout...) {
		texts = append(texts, e.Text)
		trad, err := hanzi.Traditionalize(e.Text)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, trad)
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d texts: the corpus is missing", len(texts))
	}
	changed := 0
	for _, text := range texts {
		want, err := cc.Convert(text)
		if err != nil {
			t.Fatal(err)
		}
		if got := hanzi.Simplify(text); got != want {
			t.Errorf("Simplify(%q) = %q, OpenCC gives %q", text, got, want)
		}
		if want != text {
			changed++
		}
	}
	if changed < len(texts)/3 {
		t.Errorf("only %d of %d texts were changed by the conversion: the Traditional ones are missing", changed, len(texts))
	}
}

// BenchmarkSimplify: Simplify against OpenCC's Convert on a submission's text.
//
//	go test -run '^$' -bench Simplify ./hanzi
func BenchmarkSimplify(b *testing.B) {
	cc, err := opencc.New("t2s")
	if err != nil {
		b.Fatal(err)
	}
	const text = "压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。住院部的护士很辛苦，晚上值班人手不够，病人按铃很久没人来。"
	b.Run("opencc", func(b *testing.B) {
		for range b.N {
			_, _ = cc.Convert(text)
		}
	})
	b.Run("simplify", func(b *testing.B) {
		for range b.N {
			_ = hanzi.Simplify(text)
		}
	})
}
