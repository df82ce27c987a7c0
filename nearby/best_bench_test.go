package nearby

import (
	"sort"
	"syscall"
	"testing"
	"time"

	"minsheng/suggest"
)

// BenchmarkScorerBest measures the pair model's part of a near-duplicate look-up: scoring the
// Candidates (300) documents of the labelled pairs' background that share the most bigrams
// with a text, and keeping the ten best at Threshold, topic vectors worked out by the shipped
// tag suggester as storage does (not remembered between look-ups). Baseline in the same run:
// the candidates' characters' cosine alone.
//
//	go test -run '^$' -bench ScorerBest ./nearby
func BenchmarkScorerBest(b *testing.B) {
	background := readBackground(&testing.T{})
	c := newCollection(background, nil)
	m, err := suggest.Starting()
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []struct{ name, text string }{
		{"short", "三楼挂号窗口的工作人员上班玩手机，排了半个小时队没人理"},
		{"long", "我爸住在县医院住院部5楼内科，半夜输液完了按呼叫铃，二十分钟都没有护士过来，家属去护士站找也没人，后来才知道值班护士在休息室睡觉，希望医院加强夜间管理"},
	} {
		text := fold(q.text)
		weight := map[int]int{}
		for term := range Terms(text) {
			if IsBigram(term) {
				for _, d := range c.postings[term] {
					weight[d]++
				}
			}
		}
		var ids []int
		for id := range weight {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool {
			if weight[ids[i]] != weight[ids[j]] {
				return weight[ids[i]] > weight[ids[j]]
			}
			return ids[i] < ids[j]
		})
		ids = ids[:min(len(ids), Candidates)]
		texts := make([]string, len(ids))
		for i, id := range ids {
			texts[i] = c.texts[id]
		}
		b.Run(q.name+"/baseline-character-cosine", func(b *testing.B) {
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				sc := NewScorer(text, &c.stats, nil)
				for _, t := range texts {
					sc.Features(t)
				}
			}
		})
		b.Run(q.name+"/best", func(b *testing.B) {
			defer reportCPU(b)()
			vectors := 0 // topic vectors worked out: the costly part, whatever the machine's load
			topics := func(x string) []float64 { vectors++; return m.Scores(x) }
			for i := 0; i < b.N; i++ {
				NewScorer(text, &c.stats, topics).Best(texts, Threshold, 10)
			}
			b.ReportMetric(float64(vectors)/float64(b.N), "topic-vectors/op")
		})
	}
}

// reportCPU reports the process's CPU time per operation beside the wall time: on a shared
// machine the wall time also counts the waiting.
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
