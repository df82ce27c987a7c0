package invisible

import (
	"strings"
	"testing"
	"unicode"
)

func TestRemove(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain Chinese is kept as it is", "收费处排队两个小时。", "收费处排队两个小时。"},
		{"empty", "", ""},
		{"right-to-left override (RLO … PDF) reorders an amount", "退款\u202E元005\u202C", "退款元005"},
		{"left-to-right override", "\u202D科室\u202C", "科室"},
		{"embeddings LRE and RLE", "\u202A甲\u202C\u202B乙\u202C", "甲乙"},
		{"isolates LRI RLI FSI PDI", "\u2066甲\u2069\u2067乙\u2069\u2068丙\u2069", "甲乙丙"},
		{"marks LRM RLM and the Arabic letter mark", "张\u200E三\u200F医\u061C生", "张三医生"},
		{"zero-width space splits a name from search", "王\u200B主任", "王主任"},
		{"zero-width non-joiner", "王\u200C主任", "王主任"},
		{"word joiner", "王\u2060主任", "王主任"},
		{"byte order mark at the start, as pasted from a file", "\uFEFF意见", "意见"},
		{"zero-width joiner between Chinese characters", "王\u200D主任", "王主任"},
		{"soft hyphen hides a word from search", "红\u00AD包", "红包"},
		{"tag characters smuggle an invisible sentence", "好\U000E0068\U000E0069评", "好评"},
		{"zero-width joiner in an emoji sequence is kept (woman health worker)", "谢谢👩\u200D⚕\uFE0F", "谢谢👩\u200D⚕\uFE0F"},
		{"zero-width joiner in a family emoji is kept", "👨\u200D👩\u200D👧", "👨\u200D👩\u200D👧"},
		{"joiner after a skin tone and before an emoji is kept", "👩🏽\u200D⚕", "👩🏽\u200D⚕"},
		{"joiner after a variation selector inside an emoji is kept (rainbow flag)", "🏳\uFE0F\u200D🌈", "🏳\uFE0F\u200D🌈"},
		{"joiner after an emoji but before a letter is removed", "👍\u200D好", "👍好"},
		{"joiner at the very end is removed", "好👍\u200D", "好👍"},
		{"joiner before an emoji but after a letter is removed", "好\u200D👍", "好👍"},
		{"an override inside an emoji sequence is removed, the joiner kept", "👩\u202E\u200D⚕", "👩\u200D⚕"},
		{"line breaks, tabs and ordinary spaces are not format characters", "第一行\r\n第二行\t 完", "第一行\r\n第二行\t 完"},
		{"variation selectors alone are kept", "❤\uFE0F", "❤\uFE0F"},
		{"invalid bytes stay as they came, for the form's own check", "好\xff\u200B评", "好\xff评"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Remove(tt.in); got != tt.want {
				t.Errorf("Remove(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
		})
	}
}

// TestRemoveLeavesNoFormatCharacterOutsideEmoji: whatever the input, the only format character
// that may survive is a joiner inside an emoji sequence.
func TestRemoveLeavesNoFormatCharacterOutsideEmoji(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.Is(unicode.Cf, r) {
			all.WriteString("字")
			all.WriteRune(r)
		}
	}
	if got := Remove(all.String()); strings.Trim(got, "字") != "" {
		t.Errorf("format characters survived: %+q", strings.ReplaceAll(got, "字", ""))
	}
}

func TestRemoveDoesNotCopyCleanText(t *testing.T) {
	s := strings.Repeat("干净的文字", 100)
	if allocs := testing.AllocsPerRun(100, func() { _ = Remove(s) }); allocs != 0 {
		t.Errorf("Remove allocated %v times on clean text", allocs)
	}
}

// isFormat's ranges without a table search must say what unicode.Cf says, for every rune (a
// Go release with a newer Unicode that put a format character in them would fail here).
func TestIsFormatIsCf(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := isFormat(r), unicode.Is(unicode.Cf, r); got != want {
			t.Fatalf("isFormat(%U) = %v, unicode.Cf says %v", r, got, want)
		}
	}
}

// BenchmarkRemove is the check every form value gets: a Chinese opinion without an invisible
// character (the common case: returned as it is).
func BenchmarkRemove(b *testing.B) {
	text := strings.Repeat("压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。编号 t1 ", 4)
	b.ReportAllocs()
	for b.Loop() {
		if Remove(text) != text {
			b.Fatal("changed")
		}
	}
}
