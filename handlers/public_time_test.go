package handlers_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"minsheng/campaign"
	"minsheng/internal/storetest"
	"minsheng/internal/testkit"
	"minsheng/lifecycle"
	"minsheng/plan"
	"minsheng/scrub"
	"minsheng/storage"
)

// publicActAt is 14:37:52.123 China time on the harness's day: a time of day any stored trace
// of it would show.
var publicActAt = time.Date(2026, 4, 15, 6, 37, 52, 123456789, time.UTC)

// timeOfDayRe matches 14:37, 6:37 or a date followed by a time (2026-04-15T06…, 2026-04-15 06…).
var timeOfDayRe = regexp.MustCompile(`\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d`)

// carriesTimeOfDay says why v, a value written at the instant at, holds a time of day: text
// with one, or a number that is a unix time (s, ms, µs, ns) or a Julian day near at that is
// not a midnight. "" when it holds none.
func carriesTimeOfDay(v any, at time.Time) string {
	near := func(sec float64) bool { return math.Abs(sec-float64(at.Unix())) < 3*86400 }
	midnight := func(sec float64) bool {
		s := int64(sec)
		return float64(s) == sec && (s%86400 == 0 || (s+8*3600)%86400 == 0)
	}
	switch x := v.(type) {
	case string:
		if timeOfDayRe.MatchString(x) {
			return "text with a time of day"
		}
	case []byte: // read as text when it is text (random hashes are not: they could match by chance)
		if utf8.Valid(x) && timeOfDayRe.Match(x) {
			return "bytes with a time of day"
		}
	case int64:
		for _, unit := range []float64{1, 1e3, 1e6, 1e9} {
			if sec := float64(x) / unit; near(sec) && !midnight(sec) {
				return fmt.Sprintf("a unix time (÷%g)", unit)
			}
		}
	case float64:
		if near(x) && !midnight(x) {
			return "a unix time"
		}
		if jd := (float64(at.Unix()) / 86400) + 2440587.5; math.Abs(x-jd) < 3 && x != math.Floor(x)+0.5 {
			return "a Julian day with a fraction"
		}
	}
	return ""
}

// TestPublicActsKeepTheDateOnly performs every public write through the router at 14:37:52,
// then walks every table and column of the database file: no value those requests wrote may
// carry a time of day, and every table they added rows to must have no rowid (an arrival
// order). The item history staff see shows the submitter's rating by its date alone.
func TestPublicActsKeepTheDateOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, onSQLite) // it reads the SQLite file itself (PostgreSQL: storage's own tests)
	ctx := context.Background()

	// Staff set the scene in the morning: a kiosk, a survey, an evaluation with slips, and two
	// opinions waiting for their submitters' ratings.
	h.clock.Set(publicActAt.Add(-5 * time.Hour))
	site := kioskSite(t, h)
	sv := h.newSurvey(t, "2026-04-01", "2026-04-30")
	evID, err := h.store.CreateEvaluation(ctx, 0, storage.NewEvaluation{Title: "领导班子作风民主评议", Meeting: "动员大会",
		UnitCode: "bureau", OpensOn: "2026-04-15", ClosesOn: "2026-04-20"})
	if err != nil {
		t.Fatal(err)
	}
	slips, err := h.store.IssueCodes(ctx, 0, evID, 2, h.hasher)
	if err != nil {
		t.Fatal(err)
	}
	camp, err := h.store.SaveCampaign(ctx, 0, campaign.Campaign{Name: "春季征求意见活动", ImmediateDays: 5, LimitedDays: 30,
		Questions: []string{"您对门诊有什么建议？"},
		Phases:    []campaign.Phase{{Kind: campaign.Listen, StartsOn: "2026-04-01", EndsOn: "2026-04-30"}}})
	if err != nil {
		t.Fatal(err)
	}
	staffBrowser, staff := h.staff(t)
	rated := map[string]string{}
	for _, rating := range []string{"satisfied", "dissatisfied"} {
		id, code := h.seed(t, storage.NewOpinion{Content: "病房夜里太吵，护士站不管。"})
		h.walkTo(t, staff.ID, id, lifecycle.Satisfaction)
		rated[rating] = id
		rated[rating+" code"] = code
	}

	// A reviewer asks a submitter a question (the conversation, #13).
	asked, askedCode := h.seed(t, storage.NewOpinion{Content: "输液室的椅子坏了。"})
	photo, kind, err := scrub.Clean(testkit.GPSJPEG(t, 16, 16))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.PostStaffMessageFiles(ctx, staff.ID, asked, storage.MessageQuestion, "是几号输液室？",
		[]storage.NewAttachment{{Kind: kind, Data: photo}}); err != nil {
		t.Fatal(err)
	}
	thread, err := h.store.Thread(ctx, asked)
	if err != nil || len(thread) != 1 || len(thread[0].Files) != 1 {
		t.Fatalf("the question: %v %v", thread, err)
	}

	// The 活动办 opens a draft plan for comment (#14).
	commented := draftPlan(t, h, camp, "整改方案征求意见稿") // the one campaign: a second running would take the walk's answer
	openForComment(t, h, commented, campaign.ScopePublic)
	// …and a summary report's draft (feature 63).
	consulted, err := h.store.OpenReportConsultation(ctx, 0, storage.ReportKey{Kind: "summary", Period: "2026-03"},
		storage.ConsultationText{Title: "三月汇总报告征求意见稿"}, plan.Opening{Scope: campaign.ScopePublic, From: h.store.Today(), To: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}

	h.clock.Set(publicActAt)
	before := storetest.Dump(t, h.store)
	visited := map[string]bool{}
	did := func(name string, r *response, want int) {
		t.Helper()
		visited[name] = true
		if r.Code != want {
			t.Fatalf("%s: status %d, want %d\n%s", name, r.Code, want, r.Body)
		}
	}

	b := h.browser()
	withAnswer := validOpinion()
	withAnswer.Set("answer_"+strconv.FormatInt(camp, 10)+"_1", "门诊楼的指示牌看不清。")
	submitted := b.submitFiles(t, withAnswer, []upload{{fileName, "image/jpeg", testkit.GPSJPEG(t, 32, 24)}})
	did("POST /submit", submitted, http.StatusOK)
	did("POST /submit/done/forget", b.post(t, "/submit/done/forget", url.Values{}), http.StatusSeeOther)
	did("POST /kiosk/:site", kioskSubmit(t, b, "/kiosk/"+site.Code, validOpinion()), http.StatusOK)
	b.getCSRF(t, "/track")
	did("POST /track", b.post(t, "/track", url.Values{"code": {receiptOf(t, submitted)}}), http.StatusOK)
	did("POST /track/rate", b.post(t, "/track/rate", url.Values{"code": {rated["satisfied code"]}, "rating": {"satisfied"},
		"words": {"窗口多开了，谢谢。"}}), http.StatusOK)
	did("POST /track/rate", b.post(t, "/track/rate", url.Values{"code": {rated["dissatisfied code"]}, "rating": {"dissatisfied"},
		"words": {"还是一样吵。"}}), http.StatusOK)
	did("POST /track/message", b.postMultipart(t, "/track/message", withToken(url.Values{"code": {askedCode},
		"kind": {"answer"}, "answers": {thread[0].ID}, "words": {"三号输液室。"}}, b.token),
		[]upload{{fileName, "image/jpeg", testkit.GPSJPEG(t, 24, 24)}}), http.StatusSeeOther)
	did("POST /track/file", b.post(t, "/track/file", url.Values{"code": {askedCode}, "file": {thread[0].Files[0].ID}}),
		http.StatusOK)
	did("POST /track/message", b.post(t, "/track/message", url.Values{"code": {askedCode}, "kind": {"addition"},
		"words": {"今天又坏了一把。"}}), http.StatusSeeOther)
	did("POST /survey/:id", b.answerSurvey(t, sv, surveyURL(sv)+"?unit=county-hospital", url.Values{"unit": {"county-hospital"},
		"from_link": {"1"}, itemName(sv, 0): {"3"}, itemName(sv, 1): {"1"}, "comment": {"候诊椅子太少"}}), http.StatusSeeOther)
	did("POST /yijian/:id", commentForm(t, b, pathOf("/yijian/", commented), url.Values{"submitter": {"public"},
		"content": {"建议公开承诺写明办结时限。"}}), http.StatusSeeOther)
	did("POST /yijian/baogao/:id", commentForm(t, b, pathOf("/yijian/baogao/", consulted), url.Values{"submitter": {"public"},
		"content": {"建议报告写明各科室的办结率。"}}), http.StatusSeeOther)
	b.getCSRF(t, "/pingyi")
	did("POST /pingyi", b.post(t, "/pingyi", url.Values{"code": {slips[0]}}), http.StatusOK)
	did("POST /pingyi/answer", b.post(t, "/pingyi/answer", answer(slips[0], "fair", "少开会", "formalism-meetings")), http.StatusSeeOther)

	// Every public route that can change anything was requested above.
	for _, r := range h.e.Routes() {
		name := r.Method + " " + r.Path
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !strings.HasPrefix(r.Path, "/admin") && !visited[name] {
			t.Errorf("public route %s was not exercised: add it to this test", name)
		}
	}

	after := storetest.Dump(t, h.store)
	written, inserted := 0, map[string]int{}
	for name, tbl := range after {
		for key, row := range tbl.Rows {
			old, existed := before[name].Rows[key]
			if !existed {
				inserted[name]++
			}
			for col, v := range row.Values {
				if existed && fmt.Sprint(old.Values[col]) == fmt.Sprint(v) {
					continue
				}
				written++
				if why := carriesTimeOfDay(v, publicActAt); why != "" {
					t.Errorf("%s.%s (row %s) was written by a public request with %s: %v", name, col, key, why, v)
				}
			}
		}
	}
	for _, want := range []string{"opinions", "ratings", "public_events", "survey_responses", "survey_answers",
		"evaluation_answers", "evaluation_answer_problems", "attachments", "opinion_messages", "plan_comments", "report_comments",
		"campaign_answers",
		// Captchas answered and the receipt cookie cleared (清除), spent for every process at once
		// (#15). A spent token keeps the DAY its token expires on, which is not an arrival time:
		// the token (a captcha id, a sealed cookie) expires within 30 minutes of being made, so
		// its day is the day of the form view, the one date an opinion keeps too; the row has no
		// rowid and is keyed by a hash of a random value, so there is no order among rows; and
		// the row is deleted once that day is over (storage.SweepShared), which the token's own
		// expiry inside it has passed by then.
		"spent_tokens"} {
		if inserted[want] == 0 {
			t.Errorf("no row was added to %s: the walk would prove nothing about it", want)
		}
	}
	if written < 50 {
		t.Fatalf("only %d values written by the public requests; the walk proves nothing", written)
	}
	var tables []string
	for name := range inserted {
		tables = append(tables, name)
		if !after[name].WithoutRowid {
			t.Errorf("public requests added rows to %s, which numbers its rows in order of arrival (rowid)", name)
		}
	}
	sort.Strings(tables)
	t.Logf("%d values written by public requests in tables %v", written, tables)

	// The item history: the staff steps keep their time, the submitter's rating its date alone.
	staffBrowser = h.login(t, staff.Username, staffPassword) // the morning's session has expired
	for _, id := range []string{rated["satisfied"], rated["dissatisfied"]} {
		page := staffBrowser.get(t, "/admin/opinions/"+id)
		wantStatus(t, page, http.StatusOK)
		var rating, timed int
		for _, li := range historyLines(page.Body) {
			switch {
			case strings.Contains(li, "留言人评价"):
				rating++
				if timeOfDayRe.MatchString(li) || !strings.Contains(li, "2026-04-15") {
					t.Errorf("the history shows the submitter's rating as %q: the date alone, please", li)
				}
			case timeOfDayRe.MatchString(li):
				timed++
			}
		}
		if rating != 1 || timed == 0 {
			t.Errorf("history of %s: %d rating lines, %d timed staff lines; want 1 and some", id, rating, timed)
		}
	}
}

var liRe = regexp.MustCompile(`(?s)<li[^>]*>(.*?)</li>`)

// historyLines returns the lines of an item page's history (处理记录; historyRe is in
// item_history_test.go).
func historyLines(body string) []string {
	m := historyRe.FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	var out []string
	for _, li := range liRe.FindAllStringSubmatch(m[1], -1) {
		out = append(out, li[1])
	}
	return out
}

// TestPublicLogLinesKeepTheDay: a public request that fails on the server is logged (so the
// fault can be found) with the day and without the time; a staff request keeps its time.
func TestPublicLogLinesKeepTheDay(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	b := h.browser()
	b.getCSRF(t, "/track")
	_, code := h.seed(t, storage.NewOpinion{})
	if err := h.store.Close(); err != nil { // every request now fails on the server
		t.Fatal(err)
	}
	earlier := len(h.logs.String()) // the staff login's lines
	wantStatus(t, b.post(t, "/track", url.Values{"code": {code}}), http.StatusInternalServerError)
	public := h.logs.String()[earlier:]
	wantStatus(t, staff.get(t, "/admin/queue"), http.StatusInternalServerError)
	staffLines := h.logs.String()[earlier+len(public):]

	lines := strings.Split(strings.TrimSpace(public), "\n")
	if len(lines) < 2 || !strings.Contains(public, "route=/track") {
		t.Fatalf("the failed public request was not logged:\n%s", public)
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	for _, l := range lines {
		if strings.Contains(l, "time=") || timeOfDayRe.MatchString(l) {
			t.Errorf("a public request's log line carries a time: %s", l)
		}
		if !strings.Contains(l, "day="+today) {
			t.Errorf("a public request's log line lacks its day: %s", l)
		}
	}
	if !strings.Contains(staffLines, "route=/admin/queue") || !strings.Contains(staffLines, "time=") {
		t.Errorf("the staff request's lines lost their time:\n%s", staffLines)
	}
}
