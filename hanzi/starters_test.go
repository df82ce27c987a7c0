package hanzi

import (
	"testing"
	"unicode/utf8"
)

// Every bit of the converter's starter sets is what startsKey says of that character.
func TestStartersAreStartsKey(t *testing.T) {
	cc := t2s()
	if cc == nil {
		t.Fatal("the converter did not load")
	}
	if len(starters) != len(cc.DictChains) {
		t.Fatalf("%d starter sets for %d groups", len(starters), len(cc.DictChains))
	}
	var enc [utf8.UTFMax]byte
	yes := 0
	for i, group := range cc.DictChains {
		for r := rune(0); r < 0x10000; r++ {
			n := utf8.EncodeRune(enc[:], r)
			want := startsKey(group, enc[:n])
			if got := starters[i].has(r); got != want {
				t.Fatalf("group %d, %U: the set says %v, startsKey %v", i, r, got, want)
			}
			if want {
				yes++
			}
		}
	}
	if yes < 1000 {
		t.Errorf("only %d characters begin a key: the sets look empty", yes)
	}
}
