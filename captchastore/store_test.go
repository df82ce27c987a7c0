package captchastore

import (
	"bytes"
	"testing"
	"time"
)

func TestVerifyIsSingleUse(t *testing.T) {
	s := New(time.Minute, 100)
	id := s.New()
	answer, ok := s.Answer(id)
	if !ok || len(answer) != Digits {
		t.Fatalf("Answer(%q)=%q,%v", id, answer, ok)
	}
	if !s.Verify(id, answer) {
		t.Fatal("right answer rejected")
	}
	if s.Verify(id, answer) {
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
	if s.Verify(id, wrong) {
		t.Fatal("wrong answer accepted")
	}
	if s.Verify(id, answer) {
		t.Fatal("captcha still usable after a wrong guess")
	}
}

// TestDiscard: a captcha replaced by another (换一张) can no longer be answered or shown.
func TestDiscard(t *testing.T) {
	s := New(time.Minute, 100)
	id, other := s.New(), s.New()
	answer, _ := s.Answer(id)
	s.Discard(id)
	if s.Verify(id, answer) {
		t.Fatal("a discarded captcha was accepted")
	}
	if ok, _ := s.WriteAudio(&bytes.Buffer{}, id); ok {
		t.Fatal("a discarded captcha's sound is still served")
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
			if got := s.Verify(id, tt.mangle(a)); got != tt.want {
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
	if s.Verify(id, answer) {
		t.Fatal("expired captcha accepted")
	}
	var buf bytes.Buffer
	if ok, _ := s.WriteImage(&buf, s.New()); !ok {
		t.Fatal("fresh captcha has no image")
	}
}

func TestStoreIsBounded(t *testing.T) {
	s := New(time.Minute, 10)
	first := s.New()
	for i := 0; i < 50; i++ {
		s.New()
	}
	if got := len(s.entries); got > 10 {
		t.Fatalf("store holds %d captchas, want at most 10", got)
	}
	if _, ok := s.Answer(first); ok {
		t.Fatal("oldest captcha survived eviction")
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
	if !s.Verify(id, a) {
		t.Fatal("captcha spent by drawing it")
	}
}
