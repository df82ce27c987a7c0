package storage

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"minsheng/campaign"
)

// BenchmarkSubmitInACampaign measures what campaigns (#14) cost a public submission, in the same
// run: no campaign at all (the baseline), three campaigns defined and one running for the unit
// (the writer picks it from the cached list), and the same with two answers to the campaign's
// questions written in the opinion's transaction. CPU per submission is the figure to compare,
// as a ratio to the baseline; the rate moves with whatever else the machine does.
//
//	go test -run '^$' -bench SubmitInACampaign -benchtime 2000x ./storage
func BenchmarkSubmitInACampaign(b *testing.B) {
	for _, tc := range []struct {
		name      string
		campaigns int
		answers   []CampaignAnswer
	}{
		{"baseline", 0, nil},
		{"campaign", 3, nil},
		{"campaign+answers", 3, []CampaignAnswer{{No: 1, Question: "您对门诊有什么建议？", Answer: "多开窗口。"},
			{No: 2, Question: "您对住院有什么建议？", Answer: "病房晚上太吵。"}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := Open(ctx, filepath.Join(b.TempDir(), "writer.db"), Options{Now: fixedClock})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			for i := 0; i < tc.campaigns; i++ { // 2026-04-01 is in the window of the last one only
				start := fmt.Sprintf("2025-%02d-01", 3+3*i)
				if i == tc.campaigns-1 {
					start = "2026-03-01"
				}
				if _, err := s.SaveCampaign(ctx, 0, campaign.Campaign{Name: fmt.Sprintf("活动%d", i), ImmediateDays: 5,
					LimitedDays: 30, Questions: []string{"您对门诊有什么建议？", "您对住院有什么建议？"},
					Phases: []campaign.Phase{{Kind: campaign.Listen, StartsOn: start, EndsOn: start[:8] + "28"},
						{Kind: campaign.Rectify, StartsOn: start[:5] + "11-01", EndsOn: start[:5] + "12-31"}}}); err != nil {
					b.Fatal(err)
				}
			}
			hash := make([]byte, 32)
			b.ResetTimer()
			begin, cpu := time.Now(), processCPU()
			for i := 0; i < b.N; i++ {
				_, _ = rand.Read(hash)
				if _, err := s.CreateOpinion(ctx, NewOpinion{Type: "suggestion", UnitCode: "county-hospital", Submitter: "patient",
					Content: fmt.Sprintf("压力测试留言：门诊排队太久，希望增加窗口。编号 %d", i), Answers: tc.answers}, hash); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(begin).Seconds(), "submissions/s")
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
