package fulltext

import (
	"slices"
	"strings"
	"testing"

	"minsheng/nearby"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", ""},
		{"one character", "吵", "吵"},
		{"bigrams and the last character", "门难进", "门难 难进 进"},
		{"punctuation cuts runs", "挂号难，排队久。", "挂号 号难 难 排队 队久 久"},
		{"words between runs", "做ct要等3天", "做 ct 要等 等 3 天"},
		{"masked number", "电话138****5678", "电话 话 138 5678"},
		{"upper case lowered", "CT室", "ct 室"},
		{"other scripts run like Chinese", "café好", "caf é好 好"},
		{"only punctuation", "，。！", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokens(tt.text); got != tt.want {
				t.Errorf("Tokens(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestTokensHoldEveryNearbyTerm: the near-duplicate look-up finds documents by nearby's terms,
// so each must be a token; and every character of a text starts a token.
func TestTokensHoldEveryNearbyTerm(t *testing.T) {
	for _, text := range []string{
		"门诊楼的厕所太脏了，没人打扫。",
		"医生玩手机，态度差！abc 123 做ct",
		"吵",
		"药房窗口只开一个，排队两个小时",
		"x光片 b超 pm2.5",
	} {
		toks := strings.Fields(Tokens(text))
		nearby.EachTerm(text, func(term string) {
			if !slices.Contains(toks, term) {
				t.Errorf("%q: nearby term %q is not a token of %q", text, term, toks)
			}
		})
		for _, r := range text {
			if !nearby.IsRunChar(r) {
				continue
			}
			if !slices.ContainsFunc(toks, func(tok string) bool { return strings.HasPrefix(tok, string(r)) }) {
				t.Errorf("%q: no token starts with %q", text, r)
			}
		}
	}
}

func TestQuery(t *testing.T) {
	tests := []struct {
		name, q, want string
	}{
		{"empty", "", ""},
		{"punctuation only", "，！", ""},
		{"one character is a prefix", "吵", `"吵*"`},
		{"two characters", "挂号", `"挂号"`},
		{"a phrase of bigrams", "门难进", `"门难 难进"`},
		{"parts are ANDed", "厕所 太脏", `"厕所" "太脏"`},
		{"a word is a prefix", "ct", `"ct*"`},
		{"a leading word is left to the exact check", "ct检查", `"检查"`},
		{"a later word is a prefix", "做ct", `"做*" "ct*"`},
		{"digits", "138****5678", `"5678*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Query(tt.q); got != tt.want {
				t.Errorf("Query(%q) = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}

func TestExact(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"门难进", true},
		{"贵", true},
		{"", false},
		{"ct", false},    // a word found at the start of words
		{"做ct", false},   // a run and a word
		{"玩手机。", false},  // punctuation is not indexed
		{"玩手机 难", false}, // two runs
		{"дом", false},   // a letter with a case: tokens are lowercased
		{"３号楼", false},   // a full-width digit
		{"挂号难排队久", true}, // one long run
	}
	for _, tt := range tests {
		if got := Exact(tt.q); got != tt.want {
			t.Errorf("Exact(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// TSQuery writes PostgreSQL's spelling of every form of FTS4 query the project writes.
func TestTSQuery(t *testing.T) {
	for fts, want := range map[string]string{
		Query("门难进"):          `('门难' <-> '难进')`,
		Query("进"):            `'进':*`,
		Query("ct 门难进 窗口"):    `('门难' <-> '难进') & '窗口'`,
		Query("门难进 ct"):       `('门难' <-> '难进') & 'ct':*`,
		`"窗口"`:                `'窗口'`,
		`("一楼" OR "二楼") "窗口"`: `( '一楼' | '二楼' ) & '窗口'`,
		`"a'b"`:               `'a''b'`,
		`"哈哈 哈哈"`:             `('哈哈' <-> '哈哈')`,
	} {
		if got := TSQuery(fts); got != want {
			t.Errorf("TSQuery(%q) = %q, want %q", fts, got, want)
		}
	}
}

// Ensure TokensPattern finds in a document's token text exactly the texts that hold the query:
// the phrase of bigrams at consecutive whole tokens, one character at the start of a token.
func TestTokensPattern(t *testing.T) {
	texts := []string{"门难进脸难看", "门难 进", "上班玩手机", "玩手，机", "手机玩手机", "贵", "收费太贵了", "昂贵", "ab贵cd", "门难进门难进", ""}
	for _, q := range []string{"门难进", "玩手机", "贵", "手机", "难进脸", "进门"} {
		pattern, ok := TokensPattern(q)
		if !ok {
			t.Fatalf("TokensPattern(%q) not ok", q)
		}
		for _, text := range texts {
			got := strings.Contains(" "+Tokens(text)+" ", pattern)
			if want := strings.Contains(text, q); got != want {
				t.Errorf("%q in %q: pattern %q says %v, the text %v", q, text, pattern, got, want)
			}
		}
	}
	for _, q := range []string{"ct", "玩手机a", "", "门，难"} {
		if _, ok := TokensPattern(q); ok {
			t.Errorf("TokensPattern(%q) ok: it is not exact", q)
		}
	}
}
