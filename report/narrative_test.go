package report

import (
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/locale"
	"minsheng/stats"
)

// TestChangeText: the words of a change are honest about missing periods, zero bases and small
// numbers.
func TestChangeText(t *testing.T) {
	zh := locale.Get(locale.ZhCN)
	tests := []struct {
		name           string
		now, base      int
		ok, lastYear   bool
		want, wantCell string
	}{
		{"up", 120, 100, true, false, "环比增长20.0%", "+20.0%"},
		{"down a year", 80, 100, true, true, "同比下降20.0%", "-20.0%"},
		{"same", 100, 100, true, false, "与上期持平", "0.0%"},
		{"zero base: no percent", 7, 0, true, false, "上期为0条，不计算环比", "—"},
		{"zero base a year", 7, 0, true, true, "去年同期为0条，不计算同比", "—"},
		{"small base counts items", 4, 2, true, false, "较上期增加2条（上期2条）", "+2条"},
		{"small base fewer a year", 1, 3, true, true, "较去年同期减少2条（去年同期3条）", "-2条"},
		{"missing period", 5, 0, false, false, "上期无统计数据", "—"},
		{"missing year", 5, 0, false, true, "去年同期无统计数据", "—"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changeText(zh, tt.now, tt.base, tt.ok, tt.lastYear); got != tt.want {
				t.Errorf("changeText = %q, want %q", got, tt.want)
			}
			if got := changeCell(zh, tt.now, tt.base, tt.ok); got != tt.wantCell {
				t.Errorf("changeCell = %q, want %q", got, tt.wantCell)
			}
		})
	}
}

// TestDraftedNarrative: the draft of a month says what its figures say, in both languages.
func TestDraftedNarrative(t *testing.T) {
	c, q := december()
	tests := []struct {
		lang  string
		part  func(Narrative) string
		wants []string
	}{
		{locale.ZhCN, func(n Narrative) string { return n.Basics }, []string{
			"本月共收到意见建议120条，环比增长20.0%，去年同期为0条，不计算同比。",
			"网上留言80条（占66.7%）",
			"按“四风”问题分类，官僚主义60条、享乐主义20条、形式主义10条、奢靡之风4条。另有26条尚未归类。",
			"逾期未完成2项", "满意率86.0%",
			"本期向群众提问6次，收到群众回答5条、主动补充情况3条，随附照片和文件4个。"}},
		{locale.ZhCN, func(n Narrative) string { return n.Problems }, []string{
			"一是官僚主义问题较为突出，共60条，占已归类意见的63.8%", "二是享乐主义问题也较多",
			"“挂号排队时间长”（9人次反映）", "最长逾期11天", "县人民医院（81.1%）满意率低于90%。"}},
		{locale.ZhCN, func(n Narrative) string { return n.Causes }, []string{"设备未到位（县中医院）"}},
		{locale.ZhCN, func(n Narrative) string { return n.Measures }, []string{"对满意率低于85%的县人民医院开展“补课”"}},
		{locale.En, func(n Narrative) string { return n.Basics }, []string{"This month, 120 opinions and suggestions were received: up 20.0% on the previous period",
			"Staff asked submitters 6 questions; submitters sent 5 answers and 3 additions, with 4 photos and documents."}},
	}
	for _, tt := range tests {
		r := build(c, q, Summary, locale.Get(tt.lang), testUnits, testTags)
		text := tt.part(r.Narrative)
		for _, want := range tt.wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q lacks %q", tt.lang, text, want)
			}
		}
	}
}

// TestDraftWithoutData: an empty month with no previous figures says so instead of inventing
// changes, and finds no problems.
func TestDraftWithoutData(t *testing.T) {
	c, q := december()
	empty := &stats.Comparison{Current: &stats.Figures{Period: q.Period}}
	r := build(empty, q, Summary, locale.Get(locale.ZhCN), testUnits, testTags)
	for _, want := range []string{"本月共收到意见建议0条，上期无统计数据，去年同期无统计数据。", "本期尚无进入整改环节的事项。", "本期尚未收到满意度评价。"} {
		if !strings.Contains(r.Narrative.Basics, want) {
			t.Errorf("basics %q lacks %q", r.Narrative.Basics, want)
		}
	}
	if r.Narrative.Problems != "本期未发现群众集中反映的突出问题。" {
		t.Errorf("problems = %q", r.Narrative.Problems)
	}
	few := *c.Current
	few.Satisfaction = stats.Satisfaction{Rated: 3, Satisfied: 3}
	r = build(&stats.Comparison{Current: &few}, q, Summary, locale.Get(locale.ZhCN), testUnits, testTags)
	if !strings.Contains(r.Narrative.Basics, "本期收到满意度评价3条，不足5条，暂不计算满意率。") {
		t.Errorf("few ratings: %q", r.Narrative.Basics)
	}
}

// TestKinds: each kind shows its sections in its order; the extract keeps to its two styles and
// their tags; the evaluation report leads with satisfaction; 举报 only with its figures.
func TestKinds(t *testing.T) {
	c, q := december()
	zh := locale.Get(locale.ZhCN)
	tests := []struct {
		kind, want string
	}{
		{Summary, "intake styles units problems rectification conversation satisfaction cases"},
		{Opinions, "intake styles units problems rectification conversation cases"},
		{Frugality, "styles units rectification cases"},
		{Evaluation, "satisfaction rectification intake units cases"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			r := build(c, q, tt.kind, zh, testUnits, testTags)
			var keys []string
			for _, s := range r.Sections(zh) {
				keys = append(keys, s.Key)
			}
			if got := strings.Join(keys, " "); got != tt.want {
				t.Errorf("sections = %q, want %q", got, tt.want)
			}
		})
	}
	r := build(c, q, Frugality, zh, testUnits, testTags)
	styles := r.Sections(zh)[0].Tables
	if len(styles[0].Rows) != 2 || styles[0].Rows[0][0] != "享乐主义" || len(styles[1].Rows) != 1 || styles[1].Rows[0][0] != "八项规定" {
		t.Errorf("extract's style and tag tables = %v / %v", styles[0].Rows, styles[1].Rows)
	}
	if !strings.Contains(r.Title, "八项规定") || strings.Contains(r.Narrative.Basics, "官僚主义") {
		t.Errorf("extract: title %q, basics %q", r.Title, r.Narrative.Basics)
	}
	ev := build(c, q, Evaluation, zh, testUnits, testTags)
	if !strings.HasPrefix(ev.Narrative.Basics, "本期收到满意度评价50条") {
		t.Errorf("evaluation report starts %q", ev.Narrative.Basics)
	}
	withReports := *c.Current
	withReports.Reports = &stats.Reports{Received: 4, Closed: 3}
	q.Viewer = access.Viewer{Role: access.Discipline}
	d := build(&stats.Comparison{Current: &withReports, Previous: c.Previous}, q, Summary, zh, testUnits, testTags)
	secs := d.Sections(zh)
	if secs[len(secs)-2].Key != "reports" || !d.Discipline || !strings.Contains(d.Title, "（含举报）") {
		t.Errorf("纪检's version: sections end %q, title %q", secs[len(secs)-2].Key, d.Title)
	}
}

// TestSectionTables: rows line the three periods up, with "—" where a period was not counted.
func TestSectionTables(t *testing.T) {
	c, q := december()
	zh := locale.Get(locale.ZhCN)
	r := build(c, q, Summary, zh, testUnits, testTags)
	tables := map[string]Table{}
	charts := map[string]Chart{}
	for _, s := range r.Sections(zh) {
		for _, t := range s.Tables {
			tables[t.Key] = t
		}
		for _, ch := range s.Charts {
			charts[ch.Key] = ch
		}
	}
	tests := []struct {
		table string
		row   int
		want  string
	}{
		{"intake-total", 0, "收到意见建议 120 100 +20.0% 0 —"},
		{"intake-channel", 2, "信函 10 2 +8条 0 —"},
		{"units", 0, "县人民医院 90 100 0 0 50 0 0 5 2"},
		{"overdue", 0, "A1 县人民医院 2026-11-20 11"},
		{"satisfaction-units", 0, "县人民医院 37 25 5 7 81.1% 未达标，须补课"},
		{"satisfaction-units", 1, "县中医院 13 10 3 0 100.0% 达标"},
		{"redo", 0, "县人民医院"},
		{"depts", 0, "县人民医院 门诊部 12"},
		{"conversation", 0, "向群众提问 6 4 +2条 0 —"},
		{"conversation", 2, "群众回答 5 4 +1条 0 —"},
		{"conversation", 4, "收到的照片和文件 4 0 — 0 —"},
		{"conversation-units", 0, "县人民医院 5 2 4 3 4"},
		{"conversation-units", 1, "县中医院 1 0 1 0 0"},
	}
	for _, tt := range tests {
		rows := tables[tt.table].Rows
		if tt.row >= len(rows) {
			t.Errorf("%s has %d rows", tt.table, len(rows))
			continue
		}
		if got := strings.Join(rows[tt.row], " "); got != tt.want {
			t.Errorf("%s row %d = %q, want %q", tt.table, tt.row, got, tt.want)
		}
	}
	for key, n := range map[string]int{"trend": 2, "styles": 4, "units": 2, "rectification": 1} {
		if ch, ok := charts[key]; !ok || len(ch.Labels) != n || len(ch.Table.Rows) != n {
			t.Errorf("chart %s: %+v, want %d labels and as many rows", key, ch, n)
		} else if err := ch.Draw().Validate(); err != nil {
			t.Errorf("chart %s cannot be drawn: %v", key, err)
		}
	}
}

// TestMayIssue states who may issue which report.
func TestMayIssue(t *testing.T) {
	tests := []struct {
		name       string
		v          access.Viewer
		kind, unit string
		discipline bool
		want       bool
	}{
		{"reviewer, system", access.Viewer{Role: access.Reviewer}, Summary, "", false, true},
		{"admin, a unit", access.Viewer{Role: access.Admin}, Opinions, "U1", false, true},
		{"reviewer, 纪检's version", access.Viewer{Role: access.Reviewer}, Summary, "", true, false},
		{"liaison, own unit", access.Viewer{Role: access.Liaison, Unit: "U1"}, Summary, "U1", false, true},
		{"liaison, other unit", access.Viewer{Role: access.Liaison, Unit: "U1"}, Summary, "U2", false, false},
		{"liaison, system", access.Viewer{Role: access.Liaison, Unit: "U1"}, Summary, "", false, false},
		{"liaison without unit", access.Viewer{Role: access.Liaison}, Summary, "", false, false},
		{"discipline, its version", access.Viewer{Role: access.Discipline}, Summary, "", true, true},
		{"discipline, office version", access.Viewer{Role: access.Discipline}, Summary, "", false, false},
		{"supervisor, evaluation", access.Viewer{Role: access.Supervisor}, Evaluation, "", false, true},
		{"supervisor, summary", access.Viewer{Role: access.Supervisor}, Summary, "", false, false},
		{"leader", access.Viewer{Role: access.Leader, Linked: []string{"U1"}}, Summary, "U1", false, false},
	}
	for _, tt := range tests {
		if got := MayIssue(tt.v, tt.kind, tt.unit, tt.discipline); got != tt.want {
			t.Errorf("%s: MayIssue = %v, want %v", tt.name, got, tt.want)
		}
	}
}
