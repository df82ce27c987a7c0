package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"minsheng/storage"
)

// TestCampaignReport walks a campaign report through the router: the archive's form offers the
// campaigns and their phases; a phase's draft is titled by it, compared with the previous
// campaign's phase of the same kind, with the per-phase table and no 同比; a choice that cannot
// be read is 422 beside the field, one that does not exist 404; issuing freezes it with its
// campaign; its files download.
func TestCampaignReport(t *testing.T) {
	t.Parallel()
	w := newRoleWorld(t) // today 2026-04-15
	h := w.h
	winter := h.lookBackCampaign(t, "冬季活动", "2026-01-01")
	spring := h.lookBackCampaign(t, "春季活动", "2026-03-01")
	in := func(day string, c int64, n int) {
		for i := range n {
			id := h.seedOn(t, day, storage.NewOpinion{Content: "活动期间的意见" + day + strconv.Itoa(i)})
			h.recordCampaign(t, id, strconv.FormatInt(c, 10))
		}
	}
	in("2026-01-05", winter, 2)
	in("2026-03-05", spring, 3)
	in("2026-03-25", spring, 1)
	rev := w.browsers["reviewer"]
	phase := strconv.FormatInt(spring, 10) + ".1"

	t.Run("the form offers each campaign and its phases", func(t *testing.T) {
		r := rev.get(t, "/admin/reports")
		wantStatus(t, r, 200)
		wantContains(t, r.Body, `<select id="campaign" name="campaign"`, `<option value="`+strconv.FormatInt(spring, 10)+`">春季活动`,
			`<option value="`+phase+`">&nbsp;&nbsp;春季活动（听取意见阶段）`)
	})
	t.Run("a phase's draft", func(t *testing.T) {
		r := rev.get(t, "/admin/reports/draft?campaign="+phase)
		wantStatus(t, r, 200)
		wantContains(t, r.Body, "全系统春季活动（听取意见阶段）工作报告", `id="report-campaign">春季活动 · 听取意见`,
			"春季活动（听取意见阶段）共收到意见建议3条，比上一次活动（冬季活动（听取意见阶段））增加1条（上次2条）。",
			"各阶段情况", "上一次活动：冬季活动（听取意见阶段）", `name="campaign" value="`+phase+`"`,
			"draft.docx?campaign="+phase)
		wantNotContains(t, r.Body, "同比")
		// The page's own links (downloads) open the same draft: their query is not escaped twice.
		for _, id := range []string{"download-docx", "download-xlsx"} {
			d := rev.get(t, linkOf(t, r.Body, id))
			wantStatus(t, d, 200)
		}
	})
	t.Run("unreadable choice 422, unknown 404", func(t *testing.T) {
		r := rev.get(t, "/admin/reports/draft?campaign=spring")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantContains(t, r.Body, "请从列表中选择一个活动或阶段。")
		wantStatus(t, rev.get(t, "/admin/reports/draft?campaign=999"), http.StatusNotFound)
		wantStatus(t, rev.get(t, "/admin/reports/draft?campaign="+strconv.FormatInt(spring, 10)+".9"), http.StatusNotFound)
	})
	t.Run("issue, read back, download", func(t *testing.T) {
		form := draftForm(url.Values{"campaign": {phase}, "title": {"春季活动听取意见阶段工作报告"}})
		form.Del("period")
		r := rev.post(t, "/admin/reports/issue", form)
		wantStatus(t, r, http.StatusSeeOther)
		number := strings.TrimPrefix(r.location(), "/admin/reports/")
		page := rev.follow(t, r)
		wantStatus(t, page, 200)
		wantContains(t, page.Body, `id="report-number">`+number, "春季活动听取意见阶段工作报告", `id="report-campaign">春季活动 · 听取意见`, "各阶段情况")
		correction := rev.get(t, linkOf(t, page.Body, "correct"))
		wantStatus(t, correction, 200)
		wantContains(t, correction.Body, `name="campaign" value="`+phase+`"`, `name="replaces" value="`+number+`"`, "春季活动听取意见阶段工作报告")
		list := rev.get(t, "/admin/reports")
		wantContains(t, list.Body, `href="/admin/reports/`+number+`"`, "<td>2026年3月1日至3月20日</td>")
		for _, target := range []string{"/admin/reports/" + number + ".docx", "/admin/reports/" + number + ".xlsx",
			"/admin/reports/draft.docx?campaign=" + phase, "/admin/reports/draft.xlsx?campaign=" + phase} {
			d := rev.get(t, target)
			wantStatus(t, d, 200)
			if cd := d.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") ||
				strings.Contains(target, "draft") && !strings.Contains(cd, "report-draft-campaign-"+strings.ReplaceAll(phase, ".", "-")) {
				t.Errorf("%s: Content-Disposition %q", target, cd)
			}
		}
		wantAudited(t, h, "reviewer", "export", "docx report summary 2026-03-01..2026-03-20  campaign "+phase)
	})
}

// linkOf is the address of the link with id on a page, as a browser reads it.
func linkOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<a [^>]*(?:href="([^"]*)"[^>]*id="` + id + `"|id="` + id + `"[^>]*href="([^"]*)")`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link %s", id)
	}
	return html.UnescapeString(m[1] + m[2])
}
