package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/lifecycle"
)

// facetsOutOfStep counts the documents whose facets differ from their opinion's and its
// rectification's columns (migration 0049).
func facetsOutOfStep(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.read.QueryRow(`SELECT count(*) FROM search_docs d JOIN opinions o ON o.id = d.opinion_id
		LEFT JOIN rectifications r ON r.opinion_id = o.id
		WHERE d.status != o.status OR d.type != o.type OR d.unit_code != o.unit_code OR d.mailbox_code != o.mailbox_code
			OR d.about_leadership != o.about_leadership OR d.created_on != o.created_on
			OR d.lead_unit IS DISTINCT FROM r.lead_unit OR d.deadline IS DISTINCT FROM r.deadline
			OR d.dept != o.dept OR d.target_kind != o.target_kind OR d.target_post != o.target_post
			OR d.target_badge != o.target_badge OR d.channel != o.channel OR d.submitter != o.submitter
			OR d.nature != o.nature OR d.reach != o.reach OR d.campaign_id != o.campaign_id
			OR d.merged_into IS DISTINCT FROM o.merged_into OR d.styles != ` + stylesListSQL + ` OR d.tags != ` + tagsListSQL).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// facetsFixture is a store with opinions of every kind of scope on an indexed day (1 April) and
// on today (2 April, read as rows), some of them moved on, replied to, overdue, in mailboxes,
// and the viewers of every role.
func facetsFixture(t *testing.T, b backend) (*Store, map[string]access.Viewer, []string) {
	t.Helper()
	ctx := context.Background()
	clock := newClock(day("2026-04-01"))
	s := b.mustOpenClock(t, clock)
	u := mustCreateUser(t, s, "reviewer1", "reviewer")
	campaignAround(t, s) // county-hospital's opinions of both days arrive in it (migration 0056's campaign_id)
	type fixture struct {
		typ, unit, lead string
		leadership      bool
		mailbox         string
		content         string
	}
	fixtures := []fixture{
		{"complaint", "county-hospital", "", false, "", "挂号排队两个小时"},
		{"complaint", "county-hospital", "county-hospital", false, "", "门诊排队没有叫号"},
		{"complaint", "county-hospital", "county-hospital", true, "", "院长办公室排队"},
		{"suggestion", "tcm-hospital", "county-hospital", true, "", "建议药房排队分流"},
		{"report", "county-hospital", "county-hospital", false, "", "医生收红包，排队的人看见了"},
		{"report", "bureau", "", false, "", "举报食堂排队加塞"},
		{"praise", "qingshan-thc", "qingshan-thc", false, "", "护士耐心，排队很快"},
		{"complaint", "tcm-hospital", "tcm-hospital", false, "", "排队缴费窗口太少"},
		{"suggestion", "bureau", "", false, "director", "局长信箱：排队问题"},
		{"complaint", "county-hospital", "county-hospital", false, "director", "信箱：门诊排队"},
		{"report", "bureau", "", false, "director", "信箱举报：排队收钱"},
		{"complaint", "county-hospital", "", false, "discipline", "纪检信箱：排队"},
		{"report", "county-hospital", "", false, "discipline", "纪检信箱举报：排队"},
		{"complaint", "qingshan-thc", "", false, "", "停车场收费乱"},
	}
	var ids []string
	for d, date := range []string{"2026-04-01", "2026-04-02"} {
		clock.Set(day(date))
		if d == 1 {
			if err := s.IndexSearch(ctx, nil); err != nil { // 1 April indexed; 2 April read as rows
				t.Fatal(err)
			}
		}
		for i, f := range fixtures {
			n := NewOpinion{Type: f.typ, UnitCode: f.unit, MailboxCode: f.mailbox, Content: f.content}
			moreFacets(&n, i+d)
			id := mustCreateOpinion(t, s, n)
			ids = append(ids, id)
			moreFacetsAfter(t, s, u.ID, id, i+d)
			if f.leadership {
				if err := s.Classify(ctx, 0, id, "leadership", true); err != nil {
					t.Fatal(err)
				}
			}
			if f.lead != "" {
				if !f.leadership {
					walkTo(t, s, id, lifecycle.Triaged)
				}
				step := fullStep(lifecycle.Assigned, "")
				step.LeadUnit = f.lead
				if err := s.Transition(ctx, 0, id, step); err != nil {
					t.Fatal(err)
				}
			}
			switch (i + d) % 4 {
			case 1: // overdue: escalates to the liaison of the lead unit's parent
				if _, err := s.write.Exec(`UPDATE rectifications SET deadline = '2026-03-20' WHERE opinion_id = ?`, id); err != nil {
					t.Fatal(err)
				}
			case 2: // found by its staff text too
				if err := s.SetReply(ctx, u.ID, id, "已安排排队叫号"); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	viewers := map[string]access.Viewer{
		"admin":                 {Role: access.Admin},
		"reviewer":              {Role: access.Reviewer},
		"supervisor":            {Role: access.Supervisor},
		"discipline":            {Role: access.Discipline},
		"liaison county":        {Role: access.Liaison, Unit: "county-hospital"},
		"liaison qingshan":      {Role: access.Liaison, Unit: "qingshan-thc"},
		"liaison bureau (督办)":   {Role: access.Liaison, Unit: "bureau", Today: "2026-04-02"},
		"leader of two":         {Role: access.Leader, Linked: []string{"county-hospital", "bureau"}},
		"liaison without scope": {Role: access.Liaison},
	}
	for name, v := range moreViewers(t, s) {
		viewers[name] = v
	}
	for name, v := range viewers {
		v.Mailboxes = mustReadBy(t, s, 0, v.Role)
		viewers[name] = v
	}
	// A problem (问题) of an opinion of the indexed day and one of today's.
	if _, err := s.Group(ctx, u.ID, ids[13], ids[27], "停车场收费"); err != nil {
		t.Fatal(err)
	}
	return s, viewers, ids
}

// facetsAgree checks, for every viewer, query and filter the facets can count, that the
// sidebar's counts and every page read through the facets equal the plain walk over the rows.
func facetsAgree(t *testing.T, s *Store, viewers map[string]access.Viewer, stage string) {
	t.Helper()
	ctx := context.Background()
	forgetPlans(s) // the steps written by hand below did not count as commits
	if n := facetsOutOfStep(t, s); n != 0 {
		t.Fatalf("%s: %d documents' facets out of step", stage, n)
	}
	counted, narrowed := 0, 0
	for name, v := range viewers {
		v := v
		for _, q := range []string{"排队", "排", "没有这个词", "叫号"} {
			filters := []OpinionFilter{{Text: q, Scope: &v}, {Text: q, Scope: &v, UnitCode: "county-hospital"},
				{Text: q, Scope: &v, Type: "report"}, {Text: q, Scope: &v, Month: "2026-04"}, {Text: q, Scope: &v, Mailbox: "director"},
				{Text: q, Scope: &v, Status: lifecycle.Assigned}}
			if q == "排队" {
				filters = append(filters, moreFilters(t, s, q, &v)...)
			}
			for _, f := range filters {
				shown := f
				shown.Scope = nil
				label := fmt.Sprintf("%s: %s %+v", stage, name, shown)
				got, ok, err := s.countsFromFacets(ctx, f)
				if err != nil || !ok {
					t.Fatalf("%s: not counted from the facets (%v)", label, err)
				}
				walk := f
				walk.walk = true
				want, err := s.StatusCounts(ctx, walk)
				if err != nil {
					t.Fatal(err)
				}
				if got.Capped || fmt.Sprint(got.ByStatus, got.Total, got.Overdue) != fmt.Sprint(want.ByStatus, want.Total, want.Overdue) {
					t.Errorf("%s: facets %v %d (%d overdue), rows %v %d (%d overdue)", label,
						got.ByStatus, got.Total, got.Overdue, want.ByStatus, want.Total, want.Overdue)
				}
				counted += got.Total
				gotPage, _ := allPages(t, s, f)
				wantPage, _ := allPages(t, s, walk)
				if strings.Join(gotPage, ",") != strings.Join(wantPage, ",") {
					t.Errorf("%s: pages %v, rows %v", label, gotPage, wantPage)
				}
				if _, ok := filterWalkFor(f); ok { // the same pages walked from the filter's side
					narrowed++
					s.narrow = narrowByFilter
					gotPage, _ := allPages(t, s, f)
					forgetPlans(s)
					got, _, err := s.countsFromFacets(ctx, f) // the sidebar counted from the filter's side
					s.narrow = narrowByCost
					if strings.Join(gotPage, ",") != strings.Join(wantPage, ",") {
						t.Errorf("%s: pages walked from the filter %v, rows %v", label, gotPage, wantPage)
					}
					if err != nil || got.Capped || fmt.Sprint(got.ByStatus, got.Total, got.Overdue) != fmt.Sprint(want.ByStatus, want.Total, want.Overdue) {
						t.Errorf("%s: counted from the filter %v %d (%d overdue, %v), rows %v %d (%d overdue)", label,
							got.ByStatus, got.Total, got.Overdue, err, want.ByStatus, want.Total, want.Overdue)
					}
				}
			}
		}
	}
	if counted == 0 || narrowed == 0 {
		t.Fatalf("%s: nothing counted (%d) or walked from a filter (%d): the comparison proves nothing", stage, counted, narrowed)
	}
}

// Ensure the sidebar's counts and the pages read from the index's facets (migration 0049) are
// the rows' own for every role (a liaison only what they may open, 举报 only for 纪检), and stay
// so after a submission, a status change, a merge, a reply, a deadline passed, a lead unit
// changed and a rectification removed: the triggers keep the facets in step in the same
// transaction.
func TestFacetsAgreeWithRows(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s, viewers, ids := facetsFixture(t, b)
		facetsAgree(t, s, viewers, "seeded")

		steps := []facetStep{
			{"a submission today", func(t *testing.T) {
				mustCreateOpinion(t, s, NewOpinion{Content: "今天也排队", UnitCode: "county-hospital"})
			}},
			{"a status change", func(t *testing.T) { walkTo(t, s, ids[0], lifecycle.Assigned) }},
			{"a rectification begun", func(t *testing.T) {
				if err := s.Transition(ctx, 0, ids[1], fullStep(lifecycle.Rectifying, "")); err != nil {
					t.Fatal(err)
				}
			}},
			{"a merge", func(t *testing.T) { walkTo(t, s, ids[8], lifecycle.Duplicate) }},
			{"a merge of today's", func(t *testing.T) { walkTo(t, s, ids[14], lifecycle.Duplicate) }},
			{"a reply", func(t *testing.T) {
				if err := s.SetReply(ctx, 0, ids[13], "停车场已排队整改"); err != nil {
					t.Fatal(err)
				}
			}},
			{"a deadline passed", func(t *testing.T) {
				if _, err := s.write.Exec(`UPDATE rectifications SET deadline = '2026-03-30' WHERE opinion_id = ?`, ids[6]); err != nil {
					t.Fatal(err)
				}
			}},
			{"a lead unit changed", func(t *testing.T) {
				if _, err := s.write.Exec(`UPDATE rectifications SET lead_unit = 'qingshan-thc' WHERE opinion_id = ?`, ids[2]); err != nil {
					t.Fatal(err)
				}
			}},
			{"a rectification removed", func(t *testing.T) {
				if _, err := s.write.Exec(`DELETE FROM rectifications WHERE opinion_id = ?`, ids[3]); err != nil {
					t.Fatal(err)
				}
			}},
		}
		steps = append(steps, moreSteps(s, viewers, ids)...)
		for _, st := range steps {
			st.do(t)
			facetsAgree(t, s, viewers, st.name)
		}
	})
}

// Ensure a common word's capped counts (the newest SearchCap matches) are the same whether
// counted from the facets or from the rows, and say they are capped.
func TestFacetsCappedCounts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s, viewers, _ := facetsFixture(t, b)
		s.searchCap = 3
		for name, v := range viewers {
			v := v
			for _, f := range []OpinionFilter{{Text: "排队", Scope: &v}, {Text: "排", Scope: &v, UnitCode: "county-hospital"}} {
				got, ok, err := s.countsFromFacets(ctx, f)
				if err != nil || !ok {
					t.Fatalf("%s %q: not counted from the facets (%v)", name, f.Text, err)
				}
				// The rows' way: with the facets marked unbuilt (a new plan: a write happened).
				if _, err := s.write.Exec(`UPDATE search_state SET facets_built = 0`); err != nil {
					t.Fatal(err)
				}
				forgetPlans(s)
				want, err := s.StatusCounts(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.write.Exec(`UPDATE search_state SET facets_built = 1`); err != nil {
					t.Fatal(err)
				}
				forgetPlans(s)
				if !got.Capped || !want.Capped || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s %q: facets %+v, rows %+v", name, f.Text, got, want)
				}
			}
		}
	})
}

// Ensure a database whose documents predate migration 0049 gets their facets at the indexer's
// next run, a chunk per transaction with progress printed, going on where an interrupted run
// stopped; until then the sidebar reads the rows.
func TestFacetsFilledForOlderDocuments(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s, viewers, _ := facetsFixture(t, b)
		// As 0049 leaves an older database: the columns' defaults, nothing built.
		if _, err := s.write.Exec(`UPDATE search_docs SET status = '', type = '', unit_code = '', mailbox_code = '',
			about_leadership = 0, created_on = '', lead_unit = NULL, deadline = NULL`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.Exec(`UPDATE search_state SET facets_built = 0, facets_after = 0`); err != nil {
			t.Fatal(err)
		}
		v := viewers["liaison county"]
		if _, ok, err := s.countsFromFacets(ctx, OpinionFilter{Text: "排队", Scope: &v}); err != nil || ok {
			t.Fatalf("counted from unbuilt facets: %v %v", ok, err)
		}
		// Interrupted after its first chunk.
		stop, cancel := context.WithCancel(ctx)
		var first strings.Builder
		if err := s.fillSearchFacetsBy(stop, cancelOnWrite{&first, cancel}, 4, 4, s.txTimeout); err == nil {
			t.Fatal("an interrupted fill said nothing")
		}
		var after int64
		var built bool
		if err := s.read.QueryRow(`SELECT facets_after, facets_built FROM search_state`).Scan(&after, &built); err != nil {
			t.Fatal(err)
		}
		if after == 0 || built {
			t.Fatalf("after the interruption: facets_after %d, built %v", after, built)
		}
		var docs int
		if err := s.read.QueryRow(`SELECT count(*) FROM search_docs`).Scan(&docs); err != nil {
			t.Fatal(err)
		}
		var progress strings.Builder
		if err := s.fillSearchFacetsBy(ctx, &progress, 4, 4, s.txTimeout); err != nil {
			t.Fatal(err)
		}
		// The second run starts where the first stopped, four documents on.
		if !strings.Contains(first.String(), fmt.Sprintf("writing the sidebar's facets of %d documents", docs)) ||
			!strings.Contains(progress.String(), fmt.Sprintf("writing the sidebar's facets of %d documents", docs-4)) ||
			!strings.Contains(progress.String(), fmt.Sprintf("facets of %d of %d documents written", docs-4, docs-4)) {
			t.Errorf("progress: %q then %q", first.String(), progress.String())
		}
		facetsAgree(t, s, viewers, "filled")
	})
}

// forgetPlans empties s's cache of planned searches.
func forgetPlans(s *Store) {
	s.plans.mu.Lock()
	s.plans.plans = nil
	s.plans.mu.Unlock()
}

// cancelOnWrite cancels a context at the first progress line written.
type cancelOnWrite struct {
	w      *strings.Builder
	cancel context.CancelFunc
}

func (c cancelOnWrite) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "written") {
		c.cancel()
	}
	return c.w.Write(p)
}

// Ensure a trigger of migration 0049 that a later table rebuild dropped is written again at the
// next open, and the facets, stale meanwhile, are written again for every document.
func TestFacetTriggersRestoredAtOpen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "test.db")
	s := openAt(t, path, fixedClock)
	id := mustCreateOpinion(t, s, NewOpinion{Content: "挂号排队两个小时"})
	if err := s.RebuildSearchIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openAt(t, path, func() time.Time { return fixedClock().AddDate(0, 0, 1) }) // indexes the opinion's day
	if n := countRows(t, s, "search_docs", "opinion_id = ? AND status = 'received'", id); n != 1 {
		t.Fatalf("the opinion's document has no facets (%d)", n)
	}
	// As a rebuild of opinions would leave it: the trigger gone, then a change it missed.
	for _, stmt := range []string{`DROP TRIGGER search_docs_follow_opinion`,
		`UPDATE opinions SET status = 'triaged' WHERE id = '` + id + `'`} {
		if _, err := s.write.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if facetsOutOfStep(t, s) != 1 {
		t.Fatal("the change reached the facets without the trigger")
	}
	s.Close()
	s = openAt(t, path, func() time.Time { return fixedClock().AddDate(0, 0, 1) })
	if n := countRows(t, s, "sqlite_master", "type = 'trigger' AND name = 'search_docs_follow_opinion'"); n != 1 {
		t.Fatal("the trigger was not written again")
	}
	if n := facetsOutOfStep(t, s); n != 0 {
		t.Fatalf("%d documents' facets still out of step", n)
	}
	if err := s.Transition(context.Background(), 0, id, fullStep(lifecycle.Assigned, "")); err != nil {
		t.Fatal(err)
	}
	if n := facetsOutOfStep(t, s); n != 0 || countRows(t, s, "search_docs", "opinion_id = ? AND kind = 'opinion' AND status = 'assigned'", id) != 1 {
		t.Fatalf("after a change: %d documents' facets out of step, %d assigned", n, countRows(t, s, "search_docs", "status = 'assigned'"))
	}
}
