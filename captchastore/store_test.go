package captchastore

import (
	"bytes"
	"context"
	"testing"
	"time"
)

var ctx = context.Background()

// verify is Verify for a test: a Spender's error fails it.
func verify(t *testing.T, s *Store, id, answer string) bool {
	t.Helper()
	ok, err := s.Verify(ctx, id, answer)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestVerifyIsSingleUse(t *testing.T) {
	s := New(time.Minute, 100)
	id := s.New()
	answer, ok := s.Answer(id)
	if !ok || len(answer) != Digits {
		t.Fatalf("Answer(%q)=%q,%v", id, answer, ok)
	}
	if !verify(t, s, id, answer) {
		t.Fatal("right answer rejected")
	}
	if verify(t, s, id, answer) {
		t.Fatal("a spent captcha was accepted again")
	}
}

func TestWrongAnswerSpendsCaptcha(t *testing.T) {
	s := New(time.Minute, 100)
	id := s.New()
	answer, _ := s.Answer(id)
	wrong := "000000"
	if answer == wrong {
		wrong = "111111"
	}
	if verify(t, s, id, wrong) {
		t.Fatal("wrong answer accepted")
	}
	if verify(t, s, id, answer) {
		t.Fatal("captcha still usable after a wrong guess")
	}
}

// TestDiscard: a captcha replaced by another (换一张) can no longer be answered.
func TestDiscard(t *testing.T) {
	s := New(time.Minute, 100)
	id, other := s.New(), s.New()
	answer, _ := s.Answer(id)
	if err := s.Discard(ctx, id); err != nil {
		t.Fatal(err)
	}
	if verify(t, s, id, answer) {
		t.Fatal("a discarded captcha was accepted")
	}
	if _, ok := s.Answer(other); !ok {
		t.Fatal("discarding one captcha dropped another")
	}
}

func TestVerifyAnswerForms(t *testing.T) {
	tests := []struct {
		name   string
		mangle func(string) string
		want   bool
	}{
		{"exact", func(a string) string { return a }, true},
		{"spaces", func(a string) string { return " " + a[:3] + " " + a[3:] + " " }, true},
		{"full-width digits", func(a string) string {
			var b []rune
			for _, r := range a {
				b = append(b, r-'0'+'０')
			}
			return string(b)
		}, true},
		{"too short", func(a string) string { return a[:5] }, false},
		{"letters", func(a string) string { return a[:5] + "x" }, false},
		{"empty", func(string) string { return "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(time.Minute, 100)
			id := s.New()
			a, _ := s.Answer(id)
			if got := verify(t, s, id, tt.mangle(a)); got != tt.want {
				t.Fatalf("Verify(%q)=%v, want %v", tt.mangle(a), got, tt.want)
			}
		})
	}
}

func TestExpiredCaptchaRejected(t *testing.T) {
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	s := New(10*time.Minute, 100)
	s.now = func() time.Time { return now }
	id := s.New()
	answer, _ := s.Answer(id)
	now = now.Add(11 * time.Minute)
	if verify(t, s, id, answer) {
		t.Fatal("expired captcha accepted")
	}
	var buf bytes.Buffer
	if ok, _ := s.WriteImage(&buf, s.New()); !ok {
		t.Fatal("fresh captcha has no image")
	}
}

// TestMemoryIsBounded: New keeps at most max uses in memory, dropping those of expired
// challenges first.
func TestMemoryIsBounded(t *testing.T) {
	s := New(time.Minute, 10)
	for i := 0; i < 50; i++ {
		if err := s.Discard(ctx, s.New()); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(s.spent.(*memorySpender).spent); got > 10 {
		t.Fatalf("memory holds %d spent captchas, want at most 10", got)
	}
}

// sharedSpender is a Spender two Stores share, as two processes share the database.
type sharedSpender struct{ memorySpender }

// TestTwoProcessesShareChallenges: a challenge made by one process (one Store) is drawn the
// same and answered once by the other, given the same key and Spender; a third store with
// another key refuses it.
func TestTwoProcessesShareChallenges(t *testing.T) {
	key := bytes.Repeat([]byte("k"), 32)
	spent := &sharedSpender{memorySpender{max: 100, spent: map[[32]byte]time.Time{}, now: time.Now}}
	a, err := NewShared(key, time.Minute, spent)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewShared(key, time.Minute, spent)
	stranger, _ := NewShared(bytes.Repeat([]byte("x"), 32), time.Minute, spent)
	id := a.New()
	answerA, _ := a.Answer(id)
	answerB, ok := b.Answer(id)
	if !ok || answerA != answerB {
		t.Fatalf("process B reads %q (%v), process A made %q", answerB, ok, answerA)
	}
	if _, ok := stranger.Answer(id); ok {
		t.Fatal("a store with another key took the id")
	}
	if !verify(t, b, id, answerA) {
		t.Fatal("B refused A's challenge answered right")
	}
	if verify(t, a, id, answerA) {
		t.Fatal("A took a challenge B had spent")
	}
	if _, err := NewShared([]byte("short"), time.Minute, spent); err == nil {
		t.Fatal("a 5-byte key was taken")
	}
	// A forged id: the right length, another MAC.
	forged := []byte(a.New())
	if forged[30] == 'A' {
		forged[30] = 'B'
	} else {
		forged[30] = 'A'
	}
	if _, ok := a.Answer(string(forged)); ok {
		t.Fatal("a forged id was taken")
	}
}

func TestImageAndAudio(t *testing.T) {
	s := New(time.Minute, 10)
	id := s.New()
	var png, wav bytes.Buffer
	if ok, err := s.WriteImage(&png, id); !ok || err != nil {
		t.Fatalf("WriteImage: %v %v", ok, err)
	}
	if !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Fatal("image is not a PNG")
	}
	if ok, err := s.WriteAudio(&wav, id); !ok || err != nil {
		t.Fatalf("WriteAudio: %v %v", ok, err)
	}
	if !bytes.HasPrefix(wav.Bytes(), []byte("RIFF")) {
		t.Fatal("audio is not a WAV")
	}
	if ok, _ := s.WriteImage(&png, "unknown"); ok {
		t.Fatal("unknown id drew an image")
	}
	// Drawing does not spend the captcha.
	a, _ := s.Answer(id)
	if !verify(t, s, id, a) {
		t.Fatal("captcha spent by drawing it")
	}
}
