package testkit

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"minsheng/locale"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 4, 15, 2, 0, 0, 0, time.UTC)
	c := NewClock(start)
	c.Advance(90 * time.Minute)
	if got, want := c.Now(), start.Add(90*time.Minute); !got.Equal(want) {
		t.Errorf("after Advance: %v, want %v", got, want)
	}
	c.Set(start)
	if !c.Now().Equal(start) {
		t.Errorf("after Set: %v, want %v", c.Now(), start)
	}
}

func TestSyncBufferConcurrent(t *testing.T) {
	var b SyncBuffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_, _ = b.Write([]byte("x"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if n := len(b.String()); n != 800 {
		t.Errorf("buffer holds %d bytes, want 800", n)
	}
}

// Ensure the leftover phrases are the zh-CN catalog's own sentences, less what the language
// itself writes: the layout's privacy note is one for English and for zh-Hant, the language
// switch's names are none.
func TestLeftoverPhrases(t *testing.T) {
	for _, lang := range []string{locale.En, locale.ZhHant} {
		phrases, err := LeftoverPhrases(lang)
		if err != nil {
			t.Fatal(err)
		}
		privacy := strings.TrimSpace(placeholder.Split(locale.Get(locale.ZhCN).T("layout.privacy"), -1)[0])
		if got := FindLeftovers(phrases, "页脚："+privacy); len(got) == 0 {
			t.Errorf("%s: the zh-CN privacy note %q is not a leftover (%d phrases)", lang, privacy, len(phrases))
		}
		if got := FindLeftovers(phrases, locale.Get(lang).T("layout.privacy")+locale.Get(locale.ZhCN).Name()); len(got) > 0 {
			t.Errorf("%s: its own privacy note and the language's name are taken for leftovers: %q", lang, got)
		}
	}
}

// TestProcessCPUReadsThisProcess: the test's own process has used CPU, and more once it has
// worked a while (spinning until the clock ticks on, however loaded the machine); a process
// that does not exist answers false.
func TestProcessCPUReadsThisProcess(t *testing.T) {
	before, ok := ProcessCPU(os.Getpid())
	if !ok || before <= 0 {
		t.Fatalf("ProcessCPU of this process: %v, %v", before, ok)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		after, ok := ProcessCPU(os.Getpid())
		if !ok {
			t.Fatal("ProcessCPU could not read this process")
		}
		if after > before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("CPU still %v after 10 s of spinning", after)
		}
	}
	if _, ok := ProcessCPU(1 << 30); ok {
		t.Error("ProcessCPU answered for a process that does not exist")
	}
}
