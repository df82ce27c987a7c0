package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/nearby"
)

// nearIDs runs NearDuplicates and returns the ids found with their scores, checking the order.
func nearIDs(t *testing.T, s *Store, id string, scope *access.Viewer) map[string]float64 {
	t.Helper()
	got, err := s.NearDuplicates(context.Background(), id, scope, 10)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for i, n := range got {
		if n.Score < nearby.Threshold || n.Score > 1.0001 {
			t.Errorf("%s scored %.3f, outside [Threshold, 1]", n.Opinion.ID, n.Score)
		}
		if i > 0 && got[i-1].Score < n.Score {
			t.Errorf("not most similar first: %.3f before %.3f", got[i-1].Score, n.Score)
		}
		if n.Opinion.ID == id {
			t.Errorf("the opinion itself was suggested")
		}
		out[n.Opinion.ID] = n.Score
	}
	return out
}

// nearBackground stores opinions about other things, so that document frequencies mean something.
func nearBackground(t *testing.T, s *Store) {
	t.Helper()
	for _, text := range []string{
		"食堂晚上关门太早，下夜班买不到饭", // not about prices: 饭菜太贵，分量少 is the scope test's own problem, and the pair model rightly suggests it
		"住院部的空调坏了好几天，病房里很热",
		"医生态度很好，谢谢",
		"停车场车位太少，每次都要转好几圈",
		"卫生院晚上没有值班医生",
		"药房拿药排队太久",
		"护士打针很温柔，孩子都没哭",
		"医保报销要跑好几趟",
	} {
		mustCreateOpinion(t, s, NewOpinion{Content: text})
	}
}

// Ensure a paraphrase is found whether its day is indexed or not (today's), that an opinion
// sharing words about something else is not, and that Traditional text counts as Simplified.
func TestNearDuplicatesFindsParaphrases(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		nearBackground(t, s)
		indexedTwin := mustCreateOpinion(t, s, NewOpinion{Content: "三楼挂号窗口那个人一直玩手机，让我们排了半个多小时"})
		traditional := mustCreateOpinion(t, s, NewOpinion{Content: "掛號窗口的工作人員上班玩手機，三樓排隊半個小時沒人理"})
		unrelated := mustCreateOpinion(t, s, NewOpinion{Content: "县医院三楼的厕所太脏了，地上全是水"})
		clock.Set(day("2026-05-03"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if ids, _ := indexed(t, s); len(ids) != 11 {
			t.Fatalf("indexed %d opinions, want the 11 of 1 May", len(ids))
		}
		todayTwin := mustCreateOpinion(t, s, NewOpinion{Content: "挂号窗口的工作人员玩手机，我们在三楼排队等了半小时都没人管"})
		asked := mustCreateOpinion(t, s, NewOpinion{Content: "县医院三楼挂号窗口的工作人员上班玩手机，排了半个小时队没人理",
			Contact: "13912345678"})

		got := nearIDs(t, s, asked, nil)
		t.Logf("scores: %v (indexed %s, today %s, traditional %s, unrelated %s)", got, indexedTwin, todayTwin, traditional, unrelated)
		for name, id := range map[string]string{"indexed day": indexedTwin, "today": todayTwin, "traditional": traditional} {
			if _, ok := got[id]; !ok {
				t.Errorf("the paraphrase of %s was not suggested: %v", name, got)
			}
		}
		if sc, ok := got[unrelated]; ok {
			t.Errorf("an opinion about another problem in the same place was suggested (%.3f)", sc)
		}
		// Traditional = Simplified: the Traditional opinion scores as its Simplified spelling would.
		simplified := mustCreateOpinion(t, s, NewOpinion{Content: "挂号窗口的工作人员上班玩手机，三楼排队半个小时没人理"})
		again := nearIDs(t, s, asked, nil)
		if d := again[traditional] - again[simplified]; d > 1e-9 || d < -1e-9 {
			t.Errorf("Traditional scored %.4f, its Simplified spelling %.4f", again[traditional], again[simplified])
		}

		if _, err := s.NearDuplicates(ctx, "nosuchid", nil, 10); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown id: %v, want ErrNotFound", err)
		}
	})
}

// Ensure a liaison is offered only what they may open, and 举报 only discipline.
func TestNearDuplicatesKeepsScope(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newClock(day("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		nearBackground(t, s)
		text := "中医院食堂的红烧肉十五块一份，才几块肉，太贵了"
		ours := mustCreateOpinion(t, s, NewOpinion{Content: text, UnitCode: "county-hospital"})
		theirs := mustCreateOpinion(t, s, NewOpinion{Content: text, UnitCode: "tcm-hospital"})
		report := mustCreateOpinion(t, s, NewOpinion{Content: text, Type: "report", UnitCode: "county-hospital"})
		for id, lead := range map[string]string{ours: "county-hospital", theirs: "tcm-hospital", report: "county-hospital"} {
			walkTo(t, s, id, lifecycle.Triaged)
			step := fullStep(lifecycle.Assigned, "")
			step.LeadUnit = lead
			if err := s.Transition(ctx, 0, id, step); err != nil {
				t.Fatal(err)
			}
		}
		clock.Set(day("2026-05-02"))
		if err := s.IndexSearch(ctx, nil); err != nil {
			t.Fatal(err)
		}
		asked := mustCreateOpinion(t, s, NewOpinion{Content: "县中医院职工食堂卖的红烧肉要15元一份，分量少得可怜，太贵", UnitCode: "county-hospital"})
		cases := []struct {
			name  string
			scope *access.Viewer
			want  map[string]bool
		}{
			{"everything", nil, map[string]bool{ours: true, theirs: true, report: true}},
			{"reviewer: no 举报", &access.Viewer{Role: access.Reviewer}, map[string]bool{ours: true, theirs: true}},
			{"liaison: their unit's work", &access.Viewer{Role: access.Liaison, Unit: "county-hospital", Today: "2026-05-02"}, map[string]bool{ours: true}},
			{"discipline: 举报", &access.Viewer{Role: access.Discipline}, map[string]bool{report: true}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := nearIDs(t, s, asked, c.scope)
				if len(got) != len(c.want) {
					t.Errorf("got %v, want %v", got, c.want)
				}
				for id := range got {
					if !c.want[id] {
						t.Errorf("suggested %s, which this scope may not open (or should not find)", id)
					}
				}
			})
		}
	})
}

// Ensure an anchor's query finds the opinions that name its place in any of its ways AND hold
// its word, and no other: the look-up by place and complaint (nearby.Anchors).
func TestNearAnchorQuery(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) { testNearAnchorQuery(t, b) })
}

func testNearAnchorQuery(t *testing.T, b backend) {
	s, want, st := indexedAnchorCases(t, b, []anchorCase{
		{"人民医院做ct预约要等一个星期", true},
		{"县医院的b超也要预约好几天", true},
		{"縣人民醫院網上預約掛號總是約不到", true}, // Traditional, folded
		{"中医院ct预约要等一个星期", false},   // another unit
		{"县医院ct太贵了", false},        // the place without the word
		{"预约了也要排队", false},         // the word without the place
	})
	text := searchText("县医院预约要等一周")
	anchors := nearby.Anchors(text, nearby.Terms(text), st, 1, 0)
	if len(anchors) != 1 || anchors[0].Word != "预约" {
		t.Fatalf("anchors %v, want one: 县医院's ways and the word 预约", anchors)
	}
	checkAnchorFinds(t, s, anchors[0], want)
}

// Ensure a concept anchor's query finds the opinions that name its place in any of its ways
// AND hold one of the concept's other words, and no other: the look-up by place and concept
// (nearby.ConceptAnchors), the query expansion that finds 抢号 for 挂不上号.
func TestNearConceptAnchorQuery(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) { testNearConceptAnchorQuery(t, b) })
}

func testNearConceptAnchorQuery(t *testing.T, b backend) {
	s, want, st := indexedAnchorCases(t, b, []anchorCase{
		{"人民医院网上抢号抢了五回都没抢到", true},
		{"縣醫院的號源太少了", true},     // Traditional, folded
		{"中医院网上抢号总是抢不到", false}, // another unit
		{"县医院停车太贵了", false},     // the place without the concept
		{"网上抢号总是抢不到", false},    // the concept without the place
	})
	anchors := nearby.ConceptAnchors(searchText("县医院挂不上号"), st, 1)
	if len(anchors) != 1 || len(anchors[0].Words) == 0 {
		t.Fatalf("concept anchors %v, want one: 县医院's ways and the words of 挂号难", anchors)
	}
	checkAnchorFinds(t, s, anchors[0], want)
}

// checkAnchorFinds checks that an anchor's query finds the opinions want says it should (by
// id), and no other.
func checkAnchorFinds(t *testing.T, s *Store, a nearby.Anchor, want map[string]bool) {
	t.Helper()
	ctx := context.Background()
	stmt, err := s.read.PrepareContext(ctx, `SELECT docid FROM search_index WHERE `+s.drv.matchSQL()+` AND docid < ?
		ORDER BY docid DESC LIMIT ?`)
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	found := map[int64]float64{}
	if err := lookUp(ctx, stmt, s.drv.matchArg(anchorQuery(a)), 1, found); err != nil {
		t.Fatalf("%s: %v", anchorQuery(a), err)
	}
	got := map[string]bool{}
	for docid := range found {
		var id string
		if err := s.read.QueryRowContext(ctx, `SELECT opinion_id FROM search_docs WHERE docid = ?`, docid).Scan(&id); err != nil {
			t.Fatal(err)
		}
		got[id] = true
	}
	for id, hit := range want {
		if got[id] != hit {
			t.Errorf("%s: found %v, want %v (query %s)", id, got[id], hit, anchorQuery(a))
		}
	}
}

// anchorCase is an opinion for the anchor tests and whether the anchor should find it.
type anchorCase struct {
	text string
	hit  bool
}

// indexedAnchorCases stores the cases' opinions on one day and indexes them the next, and
// returns the store, which ids the anchor should find, and the cases' document frequencies.
func indexedAnchorCases(t *testing.T, b backend, cases []anchorCase) (*Store, map[string]bool, *nearby.Counts) {
	t.Helper()
	clock := newClock(day("2026-05-01"))
	s := b.mustOpenClock(t, clock)
	want := map[string]bool{}
	var st nearby.Counts
	for _, c := range cases {
		id := mustCreateOpinion(t, s, NewOpinion{Content: c.text})
		want[id] = c.hit
		st.Add(nearby.Terms(searchText(c.text)))
	}
	clock.Set(day("2026-05-02"))
	if err := s.IndexSearch(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return s, want, &st
}
