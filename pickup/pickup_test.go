package pickup

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func newBox(t *testing.T, key byte, now *time.Time) *Box {
	t.Helper()
	b, err := New(bytes.Repeat([]byte{key}, 32), 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	b.now = func() time.Time { return *now }
	return b
}

// TestAnotherProcessOpensUntilExpiry: a value sealed by one process opens in another with the
// same key, again and again, until the lifetime is over.
func TestAnotherProcessOpensUntilExpiry(t *testing.T) {
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	a, b := newBox(t, 'k', &now), newBox(t, 'k', &now)
	value := a.Seal("ms_receipt", []byte("ABCD-EFGH"))
	for _, step := range []struct {
		name    string
		advance time.Duration
		want    bool
	}{
		{"at once", 0, true},
		{"a reload", time.Minute, true},
		{"just before the end", 9*time.Minute - time.Second, true},
		{"at the end", time.Second, false},
	} {
		now = now.Add(step.advance)
		got, ok := b.Open("ms_receipt", value)
		if ok != step.want || (ok && string(got) != "ABCD-EFGH") {
			t.Errorf("%s: %q %v, want open %v", step.name, got, ok, step.want)
		}
	}
}

func TestSealed(t *testing.T) {
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	a := newBox(t, 'k', &now)
	value := a.Seal("ms_receipt", []byte("ABCD-EFGH"))
	if strings.Contains(value, "ABCD") {
		t.Fatal("the code shows in the cookie")
	}
	tampered := []byte(value)
	tampered[20] ^= 1
	for _, tc := range []struct {
		name, cookie, value string
		box                 *Box
	}{
		{"another key", "ms_receipt", value, newBox(t, 'x', &now)},
		{"another cookie's name", "ms_transcribed", value, a},
		{"tampered", "ms_receipt", string(tampered), a},
		{"not base64", "ms_receipt", "!!!", a},
		{"too short", "ms_receipt", "AAAA", a},
	} {
		if got, ok := tc.box.Open(tc.cookie, tc.value); ok {
			t.Errorf("%s: opened to %q", tc.name, got)
		}
	}
	if _, err := New([]byte("short"), time.Minute); err == nil {
		t.Error("a 5-byte key was taken")
	}
	if a.Seal("ms_receipt", []byte("x")) == a.Seal("ms_receipt", []byte("x")) {
		t.Error("two seals of one payload are the same: the nonce is not random")
	}
}
