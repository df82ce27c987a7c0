package receipt

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestNewIsParseableAndGrouped(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		code := New()
		if got, want := len(code), Length+Length/groupSize-1; got != want {
			t.Fatalf("len(%q)=%d, want %d", code, got, want)
		}
		if strings.Count(code, "-") != 4 {
			t.Fatalf("code %q is not in five groups", code)
		}
		n, err := Parse(code)
		if err != nil {
			t.Fatalf("Parse(New()=%q): %v", code, err)
		}
		if seen[n] {
			t.Fatalf("duplicate code %q after %d", n, i)
		}
		seen[n] = true
	}
}

func TestNewUsesWholeAlphabet(t *testing.T) {
	// 100 bits only if every position can take all 32 symbols; a bias would show up here.
	counts := map[rune]int{}
	for i := 0; i < 2000; i++ {
		n, _ := Parse(New())
		for _, r := range n {
			counts[r]++
		}
	}
	if got, want := len(counts), 32; got != want {
		t.Fatalf("distinct symbols=%d, want %d", got, want)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            bool
	}{
		{"display form", "7K2M-9QXD-4H1B-ZC8E-W3NR", "7K2M9QXD4H1BZC8EW3NR", false},
		{"lower case and spaces", " 7k2m 9qxd 4h1b zc8e w3nr ", "7K2M9QXD4H1BZC8EW3NR", false},
		{"confusable letters", "7K2M-9QXD-4HIB-ZC8E-W3NR", "7K2M9QXD4H1BZC8EW3NR", false},
		{"O read as zero", "OK2M-9QXD-4H1B-ZC8E-W3NR", "0K2M9QXD4H1BZC8EW3NR", false},
		{"full-width space and dash", "7K2M－9QXD　4H1B-ZC8E-W3NR", "7K2M9QXD4H1BZC8EW3NR", false},
		{"too short", "7K2M-9QXD", "", true},
		{"too long", "7K2M-9QXD-4H1B-ZC8E-W3NRX", "", true},
		{"U is not in the alphabet", "UK2M-9QXD-4H1B-ZC8E-W3NR", "", true},
		{"Chinese", "查询码查询码查询码查询码查询码查询码查询码", "", true},
		{"empty", "", "", true},
		{"essay", strings.Repeat("A", 500), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.err {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("Parse(%q) err=%v, want ErrMalformed", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q)=%q,%v want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestHasherIsKeyed(t *testing.T) {
	k1 := bytes.Repeat([]byte{1}, 32)
	k2 := bytes.Repeat([]byte{2}, 32)
	h1, _ := NewHasher(k1)
	h2, _ := NewHasher(k2)
	code, _ := Parse(New())
	if !bytes.Equal(h1.Hash(code), h1.Hash(code)) {
		t.Fatal("same key, same code: hashes differ")
	}
	if bytes.Equal(h1.Hash(code), h2.Hash(code)) {
		t.Fatal("different keys give the same hash")
	}
	if bytes.Contains(h1.Hash(code), []byte(code)) {
		t.Fatal("hash contains the code")
	}
	if _, err := NewHasher(k1[:31]); err == nil {
		t.Fatal("NewHasher accepted a 31-byte key")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("7K2M-9QXD-4H1B-ZC8E-W3NR")
	f.Add("")
	f.Add("ＡＢＣ")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		if len(n) != Length {
			t.Fatalf("Parse(%q)=%q has length %d", s, n, len(n))
		}
		again, err := Parse(Format(n))
		if err != nil || again != n {
			t.Fatalf("Parse(Format(%q))=%q,%v", n, again, err)
		}
	})
}
