package storage

import (
	"context"
	"sort"
	"strings"
	"testing"

	"minsheng/access"
)

// What migration 0056 added to TestFacetsAgreeWithRows: every role's scope (a department head,
// a unit head, a citizen supervisor, branch administrators, accounts an opinion names by post or
// badge) and the filters people use with a word (style, channel, tag, problem, nature, reach,
// campaign, submitter), and the changes that move them.

// facetStep is one change after which the facets must still agree with the rows.
type facetStep struct {
	name string
	do   func(t *testing.T)
}

// moreFacets gives the i-th fixture opinion a 科室, a named staff member and a channel, some of
// them each.
func moreFacets(n *NewOpinion, i int) {
	if i%3 == 0 {
		n.Dept = "门诊"
	}
	if i%5 == 1 {
		n.Target = Target{Kind: "staff", Post: "收费窗口", Badge: "A001"}
	}
	if i%4 == 3 {
		n.Channel = "qr"
	}
	if i%6 == 2 {
		n.Submitter = "family"
	}
}

// moreFacetsAfter gives the i-th fixture opinion styles (四风), tags and its nature and reach,
// some of them each, as staff do on the item page.
func moreFacetsAfter(t *testing.T, s *Store, userID int64, id string, i int) {
	t.Helper()
	ctx := context.Background()
	var err error
	switch i % 3 {
	case 1:
		err = s.SetStylesAndTags(ctx, userID, id, []string{"formalism"}, []string{"formalism-unsolid"})
	case 2:
		err = s.SetStylesAndTags(ctx, userID, id, []string{"hedonism", "formalism"}, nil)
	}
	if err == nil && i%2 == 0 {
		err = s.SetAttributes(ctx, userID, id, NatureConduct, ReachCommon)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// moreViewers are the roles added after migration 0049, and accounts an opinion may name.
func moreViewers(t *testing.T, s *Store) map[string]access.Viewer {
	t.Helper()
	return map[string]access.Viewer{
		"dept head 门诊 (badge A001)":         {Role: access.DeptHead, Unit: "county-hospital", Dept: "门诊", Badge: "A001"},
		"dept head 门诊 of qingshan":          {Role: access.DeptHead, Unit: "qingshan-thc", Dept: "门诊"},
		"unit head county (post 收费窗口)":      {Role: access.UnitHead, Unit: "county-hospital", Post: "收费窗口", Today: "2026-04-02"},
		"unit head bureau (督办)":             {Role: access.UnitHead, Unit: "bureau", Today: "2026-04-02"},
		"liaison county named (badge A001)": {Role: access.Liaison, Unit: "county-hospital", Badge: "A001"},
		"monitor":                           {Role: access.Monitor, Linked: []string{"county-hospital"}},
		"branch admin county":               branchAdmin(t, s, "county-hospital"),
		"branch admin qingshan":             branchAdmin(t, s, "qingshan-thc"),
	}
}

// branchAdmin is an administrator limited to root's subtree, as a session loads them.
func branchAdmin(t *testing.T, s *Store, root string) access.Viewer {
	t.Helper()
	units, err := s.Subtree(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	return access.Viewer{Role: access.Admin, Branch: root, BranchUnits: units}
}

// moreFilters are the filters of migration 0056 with the search q.
func moreFilters(t *testing.T, s *Store, q string, v *access.Viewer) []OpinionFilter {
	t.Helper()
	var problem string
	var campaign int64
	if err := s.read.QueryRow(`SELECT (SELECT min(id) FROM problems), (SELECT min(id) FROM campaigns)`).Scan(&problem, &campaign); err != nil {
		t.Fatal(err)
	}
	return []OpinionFilter{
		{Text: q, Scope: v, Style: "formalism"}, {Text: q, Scope: v, Style: StyleNone},
		{Text: q, Scope: v, Style: "hedonism", UnitCode: "county-hospital"},
		{Text: q, Scope: v, Channel: "qr"}, {Text: q, Scope: v, Channel: "web", Status: "received"},
		{Text: q, Scope: v, Tag: "formalism-unsolid"}, {Text: q, Scope: v, Problem: problem},
		{Text: q, Scope: v, Nature: NatureConduct}, {Text: q, Scope: v, Reach: ReachCommon},
		{Text: q, Scope: v, Campaign: campaign}, {Text: q, Scope: v, Campaign: campaign, Phase: 1},
		{Text: q, Scope: v, Submitter: "family"},
	}
}

// moreSteps are the changes that move the facets of migration 0056.
func moreSteps(s *Store, viewers map[string]access.Viewer, ids []string) []facetStep {
	ctx := context.Background()
	return []facetStep{
		{"a style change", func(t *testing.T) {
			must(t, s.SetStylesAndTags(ctx, 0, ids[0], []string{"bureaucratism", "formalism"}, nil))
		}},
		{"styles removed", func(t *testing.T) { must(t, s.SetStyles(ctx, 0, ids[1], nil)) }},
		{"a tag added", func(t *testing.T) {
			_, err := s.AddOpinionTag(ctx, 0, ids[16], "formalism-unsolid")
			must(t, err)
		}},
		{"tags replaced", func(t *testing.T) { must(t, s.SetOpinionTags(ctx, 0, ids[4], []string{"formalism-falsify"})) }},
		{"nature and reach changed", func(t *testing.T) { must(t, s.SetAttributes(ctx, 0, ids[2], NatureWork, ReachCommon)) }},
		{"a target edit", func(t *testing.T) { // no form edits it yet; the facets follow any writer
			mustExec(t, s, `UPDATE opinions SET target_kind = 'staff', target_post = '收费窗口', target_badge = '' WHERE id = ?`, ids[9])
		}},
		{"a target removed", func(t *testing.T) {
			mustExec(t, s, `UPDATE opinions SET target_kind = '', target_post = '', target_badge = '' WHERE id = ?`, ids[1])
		}},
		{"a 科室 changed", func(t *testing.T) { mustExec(t, s, `UPDATE opinions SET dept = '门诊' WHERE id = ?`, ids[3]) }},
		{"grouped into the problem", func(t *testing.T) {
			var p string
			if err := s.read.QueryRow(`SELECT min(id) FROM problems`).Scan(&p); err != nil {
				t.Fatal(err)
			}
			must(t, s.Join(ctx, 0, ids[22], p))
		}},
		{"left the problem", func(t *testing.T) { must(t, s.Leave(ctx, 0, ids[27])) }},
		{"a campaign's opinion moved out of it", func(t *testing.T) { mustExec(t, s, `UPDATE opinions SET campaign_id = 0 WHERE id = ?`, ids[2]) }},
		{"a user's branch changed", func(t *testing.T) { // what the next session of the account loads
			viewers["branch admin county"] = branchAdmin(t, s, "bureau")
		}},
		{"a unit moved into a branch", func(t *testing.T) {
			mustExec(t, s, `UPDATE units SET parent_code = 'qingshan-thc' WHERE code = 'tcm-hospital'`)
			viewers["branch admin qingshan"] = branchAdmin(t, s, "qingshan-thc")
		}},
	}
}

// Ensure what is left on the rows' way is said: a query the index does not answer exactly (a
// Latin word, letters that have a case, punctuation) needs each match's own text, which the
// documents do not hold (the index keeps the tokens, lowercased, of the masked text; its exact
// check is case-sensitive instr over opinions.search_text), so its sidebar and page read the
// rows. Every role and every filter of the queue is read from the facets.
func TestFacetsFallbackIsListed(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s, viewers, _ := facetsFixture(t, b)
		for _, q := range []string{"CT", "ct", "排队CT", "排队!"} {
			v := viewers["admin"]
			if _, ok, err := s.countsFromFacets(ctx, OpinionFilter{Text: q, Scope: &v}); err != nil || ok {
				t.Errorf("%q: counted from the facets (%v %v): the list of what reads rows is out of date", q, ok, err)
			}
		}
		for name, v := range viewers {
			v := v
			for _, f := range append(moreFilters(t, s, "排队", &v), OpinionFilter{Text: "排队", Scope: &v}) {
				if _, ok, err := s.countsFromFacets(ctx, f); err != nil || !ok {
					t.Errorf("%s %+v: read from the rows (%v)", name, f, err)
				}
			}
		}
	})
}

// Ensure migration 0056's triggers keep a document's new facets in step on both engines (the
// PostgreSQL twin's plpgsql functions do what SQLite's trigger bodies do): a document written
// takes them from its opinion; styles, tags, nature, reach, a target and a 科室 changed follow.
func TestMoreFacetsFollowOnBothEngines(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.mustOpen(t)
		id := mustCreateOpinion(t, s, NewOpinion{Content: "挂号排队两个小时", UnitCode: "county-hospital", Dept: "门诊",
			Target: Target{Kind: "staff", Post: "收费窗口"}})
		// A document as the indexer writes one: the trigger gives it its facets.
		if _, err := s.write.ExecContext(ctx, `INSERT INTO search_docs (docid, opinion_id, kind) VALUES (1, ?, 'opinion')`, id); err != nil {
			t.Fatal(err)
		}
		check := func(stage, want, styles, tags string) {
			t.Helper()
			var got, gotStyles, gotTags string
			if err := s.read.QueryRowContext(ctx, `SELECT dept || '|' || target_kind || '|' || target_post || '|' ||
				target_badge || '|' || channel || '|' || nature || '|' || reach || '|' || COALESCE(merged_into, '-'), styles, tags
				FROM search_docs WHERE docid = 1`).Scan(&got, &gotStyles, &gotTags); err != nil {
				t.Fatal(err)
			}
			// The lists' order is each engine's own; the codes each between spaces.
			sorted := func(list string) string {
				if list == "" {
					return ""
				}
				if list[0] != ' ' || list[len(list)-1] != ' ' {
					return "not between spaces: " + list
				}
				codes := strings.Fields(list)
				sort.Strings(codes)
				return strings.Join(codes, " ")
			}
			if got != want || sorted(gotStyles) != styles || sorted(gotTags) != tags {
				t.Errorf("%s: %q styles %q tags %q, want %q %q %q", stage, got, gotStyles, gotTags, want, styles, tags)
			}
		}
		check("written", "门诊|staff|收费窗口||web|||-", "", "")
		if err := s.SetStylesAndTags(ctx, 0, id, []string{"hedonism", "formalism"}, []string{"formalism-unsolid"}); err != nil {
			t.Fatal(err)
		}
		check("styles and tags", "门诊|staff|收费窗口||web|||-", "formalism hedonism", "formalism-unsolid")
		if err := s.SetAttributes(ctx, 0, id, NatureConduct, ReachCommon); err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.ExecContext(ctx, `UPDATE opinions SET target_badge = 'A001', dept = '药房' WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		check("nature, reach, badge, 科室", "药房|staff|收费窗口|A001|web|conduct|common|-", "formalism hedonism", "formalism-unsolid")
		if err := s.SetStylesAndTags(ctx, 0, id, nil, nil); err != nil {
			t.Fatal(err)
		}
		check("styles and tags removed", "药房|staff|收费窗口|A001|web|conduct|common|-", "", "")
	})
}
