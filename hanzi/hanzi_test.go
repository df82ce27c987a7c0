package hanzi

import (
	"sync"
	"testing"
)

func TestSimplify(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"three hards", "門難進、臉難看、事難辦", "门难进、脸难看、事难办"},
		{"registration", "醫院掛號要排兩個小時", "医院挂号要排两个小时"},
		{"buck-passing", "推諉扯皮，久拖不辦", "推诿扯皮，久拖不办"},
		{"phrase: hair is not send", "頭髮", "头发"},
		{"phrase: discover", "發現問題", "发现问题"},
		{"already simplified", "门诊排队太久，希望增加窗口。", "门诊排队太久，希望增加窗口。"},
		{"simplified with 后 and 着", "看病后等着拿药", "看病后等着拿药"},
		{"mixed scripts", "门诊醫生態度冷漠", "门诊医生态度冷漠"},
		{"digits and latin", "CT 检查 3 次, ICU 2 号床", "CT 检查 3 次, ICU 2 号床"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Simplify(tt.in); got != tt.want {
				t.Errorf("Simplify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"traditional", "門難進", "门难进"},
		{"simplified unchanged", "门难进", "门难进"},
		{"full-width letters and digits", "ＡＢＣ１２３", "abc123"},
		{"upper-case ascii", "CT室 ICU", "ct室 icu"},
		{"full-width punctuation and space", "掛號：２小時（急診）", "挂号:2小时(急诊)"},
		{"ideographic space", "門診　藥房", "门诊 药房"},
		{"chinese stops kept", "太慢了。“推诿”、扯皮", "太慢了。“推诿”、扯皮"},
		{"masked numbers kept", "电话 138 **** **00", "电话 138 **** **00"},
		{"non-ascii letters untouched", "Ä é", "Ä é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Folding twice changes nothing, so a folded query matches folded text.
func TestFoldIsIdempotent(t *testing.T) {
	for _, s := range []string{"門難進、臉難看", "ＡＢＣ１２３", "醫院掛號 ICU", "发现问题", "頭髮"} {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Errorf("Fold(Fold(%q)) = %q, want %q", s, twice, once)
		}
	}
}

// Requests convert at the same time: the converter is built once and only read afterwards
// (go test -race checks it).
func TestSimplifyConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := Simplify("門難進"); got != "门难进" {
				t.Errorf("Simplify = %q", got)
			}
		}()
	}
	wg.Wait()
}

func BenchmarkFold(b *testing.B) {
	const text = "上個月帶孩子去縣醫院掛號，排了兩個小時，窗口的人態度冷漠，問甚麼都說不知道，門難進、臉難看、事難辦。"
	Fold(text)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Fold(text)
	}
}

func TestTraditionalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"three hards", "门难进、脸难看、事难办", "門難進、臉難看、事難辦"},
		{"phrase-aware 发", "头发和发现", "頭髮和發現"},
		{"already traditional", "回頭看", "回頭看"},
		{"ascii untouched", "QR 2026-12-06", "QR 2026-12-06"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Traditionalize(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Traditionalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
