package storage_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/storage"
)

// nearTexts are new opinions to find the near-duplicates of: as people write them (from the
// labelled pairs' kind of text, not in the benchmark database), and one in the generator's own
// words, whose every term is common at a million opinions (the look-up's worst case).
var nearTexts = []struct{ name, text string }{
	{"short", "三楼挂号窗口的工作人员上班玩手机，排了半个小时队没人理"},
	{"long", "我爸住在县医院住院部5楼内科，半夜输液完了按呼叫铃，二十分钟都没有护士过来，" +
		"家属去护士站找也没人，后来才知道值班护士在休息室睡觉，希望医院加强夜间管理"},
	{"traditional", "縣醫院的自助掛號機老是壞，螢幕按不動，也沒人指導老人"},
	{"generator-words", "昨天上午在挂号窗口排队等了两个多小时，工作人员一直在聊天，没有人维持秩序。建议增加窗口和人手。"},
}

// BenchmarkNearDuplicates measures finding the near-duplicates of a new opinion (the item page's
// suggestions) at 10k and 1M opinions, everything in scope and as a liaison, beside reading one
// opinion by its key in the same run; and for one stored opinion (the generator's words). The
// texts are not stored (the cached databases keep their
// contents), which is what asking about a stored opinion costs less the reading of its text.
// The databases' days are all past, so every candidate comes from the index; today's rows
// (at most 3000, read by rows) add their reading on a real day.
//
//	go test -run '^$' -bench NearDuplicates -benchtime 50x ./storage
//
// -short measures 10k only. For everything in scope, each text is also looked up as before the
// look-ups by place and concept (no concept anchor: storage.NearLookupsBefore), in the same
// run, so that their cost is a ratio measured beside it.
func BenchmarkNearDuplicates(b *testing.B) {
	sizes := []int{10_000, 1_000_000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		ctx := context.Background()
		s := benchDB(b, n)
		ensureCharacterTerms(b, s)
		// The first look-up of a process decodes the tag suggester whose scores are the topic
		// vectors (about 0.2–0.4 s, once per process, as in serve): not part of a look-up.
		if _, err := s.NearDuplicatesOfText(ctx, nearTexts[0].text, nil, 10); err != nil {
			b.Fatal(err)
		}
		page, err := s.ListOpinions(ctx, storage.OpinionFilter{}, storage.Cursor{}, 1)
		if err != nil || len(page.Opinions) == 0 {
			b.Fatalf("no opinion to read: %v", err)
		}
		newest := page.Opinions[0].ID
		b.Run(fmt.Sprintf("rows=%d/baseline-read-one", n), func(b *testing.B) {
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				if _, err := s.Opinion(ctx, newest); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("rows=%d/stored-opinion/all", n), func(b *testing.B) {
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				if _, err := s.NearDuplicates(ctx, newest, nil, 10); err != nil {
					b.Fatal(err)
				}
			}
		})
		liaison := &access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: time.Now().Format("2006-01-02")}
		for _, v := range nearTexts {
			for _, sc := range []struct {
				name  string
				scope *access.Viewer
			}{{"all", nil}, {"liaison", liaison}} {
				for _, method := range []string{"now", "before-concepts"} {
					if method != "now" && sc.scope != nil {
						continue
					}
					b.Run(fmt.Sprintf("rows=%d/%s/%s/%s", n, v.name, sc.name, method), func(b *testing.B) {
						if method != "now" {
							defer storage.NearLookupsBefore()()
						}
						var found int
						defer reportCPU(b)()
						for i := 0; i < b.N; i++ {
							got, err := s.NearDuplicatesOfText(ctx, v.text, sc.scope, 10)
							if err != nil {
								b.Fatal(err)
							}
							found = len(got)
						}
						b.ReportMetric(float64(found), "found")
					})
				}
			}
		}
	}
}

// ensureCharacterTerms counts the document frequencies again in a benchmark database indexed
// before nearby counted single characters (Similarity compares characters): once per cached file.
func ensureCharacterTerms(b *testing.B, s *storage.Store) {
	b.Helper()
	ctx := context.Background()
	ok, err := s.HasDocFreq(ctx, "院")
	if err != nil {
		b.Fatal(err)
	}
	if ok {
		return
	}
	b.Logf("%s: the index predates character terms; counting them…", s.Path())
	start := time.Now()
	if err := s.RecountDocFreqs(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("counted in %v", time.Since(start).Round(time.Second))
}

// reportCPU reports the process's CPU time per operation (user + system, every thread) beside
// the wall time: on a shared machine the wall time also counts the waits for a core, the CPU
// time only the work. Call it at the start of the timed loop and defer what it returns.
func reportCPU(b *testing.B) func() {
	before := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
