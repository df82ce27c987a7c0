package redact

import (
	"slices"
	"testing"
)

// kindsFromFind is KindsIn as it was: the kinds of Find's matches, each once, in message order.
func kindsFromFind(text string) []Kind {
	seen := map[Kind]bool{}
	for _, m := range Find(text) {
		seen[m.Kind] = true
	}
	var out []Kind
	for _, k := range Kinds {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out
}

// folded is fold's copy, and KindsIn (on folded) names the kinds Find's matches have, for any
// text: full-width forms, dashes, invalid bytes and personal data of every kind among them.
func FuzzFoldedIsFold(f *testing.F) {
	for _, s := range []string{"", "abc", "门诊排队太久", "电话：１３８００１３８０００", "身份证 11010519491231002X",
		"住院号：ZY20240012", "zhangsan＠163．com", "0551—12345678", "\xff\xfe１", "银行卡 6222\u00a00212 3456 7890",
		"压力测试留言：门诊排队太久，希望增加窗口。编号 t1k2", "a\u3000b", "１", "\xe2\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := fold(s)
		if got := folded(s); got != want {
			t.Fatalf("folded(%q) = %q, fold gives %q", s, got, want)
		}
		if got, want := KindsIn(s), kindsFromFind(s); !slices.Equal(got, want) {
			t.Fatalf("KindsIn(%q) = %v, Find's kinds %v", s, got, want)
		}
	})
}

// BenchmarkKindsIn is the form's check of a submission without personal data (wrk's text).
func BenchmarkKindsIn(b *testing.B) {
	text := "压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。编号 t1k23"
	b.ReportAllocs()
	for b.Loop() {
		if KindsIn(text) != nil {
			b.Fatal("found something")
		}
	}
}

// BenchmarkMaskPlain is the search text's mask of the same submission.
func BenchmarkMaskPlain(b *testing.B) {
	text := "压力测试留言：门诊排队太久，希望增加窗口，也希望候诊区多放几把椅子。编号 t1k23"
	b.ReportAllocs()
	for b.Loop() {
		Mask(text)
	}
}
