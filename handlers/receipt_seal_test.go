package handlers

import (
	"encoding/json"
	"reflect"
	"testing"

	"minsheng/locale"
	"minsheng/receipt"
)

// TestSealedReceiptOpensAsItWasHeld: the receipt's cookie seals one letter and the code for the
// readers sentences that are only a catalog key, JSON for a mailbox's (#11); both open to the
// receipt that was held, the sentence is the one the key gives in every language, and a cookie
// sealed as JSON before the change (all four sentences) still opens.
func TestSealedReceiptOpensAsItWasHeld(t *testing.T) {
	code := receipt.New()
	mailboxReaders := map[string]string{}
	for _, lang := range locale.Languages {
		mailboxReaders[lang] = "信箱的读者 " + lang
	}
	for _, held := range []heldReceipt{
		{Code: code, readersKey: "receipt.readers_default"},
		{Code: code, readersKey: "receipt.readers_leadership"},
		{Code: code, readersKey: "receipt.readers_report"},
		{Code: code, Readers: mailboxReaders},
	} {
		sealed := sealedReceipt(held)
		if held.readersKey != "" && len(sealed) != 1+len(code) {
			t.Errorf("%s sealed as %q, not a letter and the code", held.readersKey, sealed)
		}
		opened, ok := openedReceipt(sealed)
		if !ok || !reflect.DeepEqual(opened, held) {
			t.Errorf("%+v opened as %+v (%v)", held, opened, ok)
		}
		for _, lang := range locale.Languages {
			p := locale.Get(lang)
			want := held.Readers[lang]
			if held.readersKey != "" {
				want = p.T(held.readersKey)
			}
			if got := opened.readers(p); got != want || got == "" {
				t.Errorf("%s in %s: %q, want %q", held.readersKey, lang, got, want)
			}
		}
	}
	before, _ := json.Marshal(map[string]any{"c": code, "r": map[string]string{"zh-CN": "由医院办公室阅读"}})
	if r, ok := openedReceipt(before); !ok || r.Code != code || r.readers(locale.Get("zh-CN")) != "由医院办公室阅读" {
		t.Errorf("a cookie sealed as JSON opened as %+v (%v)", r, ok)
	}
	for _, bad := range []string{"", "x" + code, "d", "{", `{"r":{}}`} {
		if r, ok := openedReceipt([]byte(bad)); ok {
			t.Errorf("%q opened as %+v", bad, r)
		}
	}
}
