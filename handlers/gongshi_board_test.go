package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// staffTerms are words of the staff's procedure and offices that mean nothing, or the wrong
// thing, to a patient: the public pages say what happens instead.
var staffTerms = []string{"待梳理", "梳理", "已分类", "交办", "待核验", "核验", "回头看", "满意度回访", "回访", "销号",
	"活动办", "审核员", "联络员", "台账", "督办"}

// Ensure no public page uses the staff's words: the home page, the form, the notice board with
// work in every status, the mailboxes with readers named by role, and the tracked opinion in
// every status.
func TestPublicPagesUsePublicWords(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	staff, u := h.staff(t)
	codes := map[string]string{}
	for _, st := range lifecycle.Statuses {
		id, code := h.seed(t, storage.NewOpinion{Content: "候诊区的椅子坏了好几把，一直没人修。"})
		if st.Code == lifecycle.Duplicate {
			target, _ := h.seed(t, storage.NewOpinion{Content: "候诊区椅子坏了。"})
			if err := h.store.Transition(ctx, u.ID, id, fullStep(st.Code, target)); err != nil {
				t.Fatal(err)
			}
		} else {
			h.walkTo(t, u.ID, id, st.Code)
		}
		codes[st.Code] = code
		if lifecycle.PathTo(st.Code) != nil && len(lifecycle.PathTo(st.Code)) >= 2 { // assigned work may be published
			r := staff.post(t, "/admin/opinions/"+id+"/publish", url.Values{"pub_title": {"候诊区座椅损坏（" + st.Code + "）"},
				"pub_body": {"已安排维修。"}})
			wantStatus(t, r, http.StatusSeeOther)
		}
	}
	liaison, err := h.store.CreateScopedUser(ctx, 0, storage.NewUser{Username: "liaison-words", Password: staffPassword,
		Role: access.Liaison, Unit: "county-hospital"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.CreateMailbox(ctx, 0, storage.MailboxEdit{Name: "院长信箱", UnitCode: "county-hospital",
		ReaderRoles: []string{access.Reviewer, access.Liaison}, ReaderUsers: []int64{liaison.ID}}); err != nil {
		t.Fatal(err)
	}

	b := h.browser()
	pages := map[string]string{}
	for _, p := range publicPages(t, h) {
		pages[p.name] = b.get(t, p.target).Body
	}
	b.getCSRF(t, "/track")
	for status, code := range codes {
		r := b.post(t, "/track", url.Values{"code": {code}})
		wantStatus(t, r, http.StatusOK)
		pages["track "+status] = r.Body
	}
	wantContains(t, pages["gongshi"], "正在整改", "已办结")
	wantContains(t, pages["xinxiang"], "院长信箱")
	for name, body := range pages {
		text := html.UnescapeString(tagRe.ReplaceAllString(body, " "))
		for _, term := range staffTerms {
			if i := strings.Index(text, term); i >= 0 {
				t.Errorf("%s says %q: …%s…", name, term, excerptAround(text, i))
			}
		}
	}
}

func excerptAround(s string, i int) string {
	r := []rune(s[:i])
	from := max(0, len(r)-15)
	rest := []rune(s[i:])
	return strings.TrimSpace(string(r[from:]) + string(rest[:min(25, len(rest))]))
}

// Ensure the board shows the public explanation of work 列入计划: why it cannot be fixed now.
func TestGongshiShowsPlannedExplanation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	staff, u := h.staff(t)
	id, _ := h.seed(t, storage.NewOpinion{Content: "门诊楼没有电梯，老人上三楼很难。"})
	h.walkTo(t, u.ID, id, lifecycle.Assigned)
	step := fullStep(lifecycle.Rectifying, "")
	step.Kind, step.Explanation = lifecycle.KindPlanned, "加装电梯需要县里立项拨款，已列入明年改造计划。"
	if err := h.store.Transition(ctx, u.ID, id, step); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, staff.post(t, "/admin/opinions/"+id+"/publish", url.Values{"pub_title": {"门诊楼加装电梯"},
		"pub_body": {"先在一楼增设老年人诊室。"}}), http.StatusSeeOther)
	page := h.browser().get(t, "/gongshi").Body
	wantContains(t, page, "门诊楼加装电梯", "列入计划", "暂时无法马上解决的原因", "加装电梯需要县里立项拨款，已列入明年改造计划。")
}

// Ensure the figures say when they were counted: they are kept for minutes, so a visitor who
// just wrote may not be in them yet.
func TestGongshiFiguresSayWhen(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.seed(t, storage.NewOpinion{})
	page := h.browser().get(t, "/gongshi").Body
	wantContains(t, page, "统计截至 2026年4月15日 10:00", "每 5 分钟更新")
}

var (
	yearTotalRe = regexp.MustCompile(`共 (\d+) 条`)
	unitMonthRe = regexp.MustCompile(`(?s)<table[^>]*id="unit-month"[^>]*>.*?<tbody>(.*?)</tbody>`)
	rowRe       = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRe      = regexp.MustCompile(`<t[hd][^>]*>([^<]*)</t[hd]>`)
)

// Ensure no small count on the board can be worked out from the year's total: whatever the
// numbers printed, every "<5" cell could still be at least two different counts.
func TestGongshiSmallCountsNotComputable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		counts map[string]int // unit → opinions this month
	}{
		{"one small cell beside a large one", map[string]int{"county-hospital": 2, "bureau": 6}},
		{"two cells of one", map[string]int{"county-hospital": 1, "tcm-hospital": 1, "bureau": 7}},
		{"no small cell but zeros", map[string]int{"county-hospital": 5, "bureau": 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			for unit, n := range tt.counts {
				for i := 0; i < n; i++ {
					h.seed(t, storage.NewOpinion{UnitCode: unit})
				}
			}
			page := h.browser().get(t, "/gongshi").Body
			m := yearTotalRe.FindStringSubmatch(page)
			if m == nil {
				t.Fatal("no year total on the board")
			}
			total, _ := strconv.Atoi(m[1])
			table := unitMonthRe.FindStringSubmatch(page)
			if table == nil {
				t.Fatal("no unit × month table on the board")
			}
			hiddenSum, smalls, withheld, smallLow := total, 0, 0, 0
			for _, row := range rowRe.FindAllStringSubmatch(table[1], -1) {
				cells := cellRe.FindAllStringSubmatch(row[1], -1)
				for _, c := range cells[1:] { // the first is the unit's name
					switch v := html.UnescapeString(strings.TrimSpace(c[1])); v {
					case "<5":
						smalls++
					case "*":
						withheld++
					case "—", "":
						smallLow = 1 // zero printed apart: a "<5" cell is at least 1
					default:
						n, err := strconv.Atoi(v)
						if err != nil {
							t.Fatalf("cell %q", v)
						}
						if n < 5 {
							t.Errorf("a count of %d is printed", n)
						}
						hiddenSum -= n
					}
				}
			}
			// The hidden cells add up to hiddenSum. A "<5" cell is smallLow–4, a "*" cell 5 or
			// more. A small cell is pinned when the others' bounds leave it no room.
			if smalls == 0 {
				return
			}
			low := max(smallLow, hiddenSum-4*(smalls-1)-(1<<30)*withheld)
			high := min(4, hiddenSum-smallLow*(smalls-1)-5*withheld)
			if high <= low && hiddenSum > 0 {
				t.Errorf("with total %d, %d small and %d withheld cells, a small cell can only be %d:\n%s",
					total, smalls, withheld, low, table[0])
			}
		})
	}
}
