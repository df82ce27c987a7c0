package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/lifecycle"
	"minsheng/storage"
)

// Ensure a reviewer can publish assigned work in their own words, the public board shows it
// (and what was fixed under 您说我们改) without the submitter's text, and small figures are
// masked as "<5".
func TestGongshi(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, u := h.staff(t)
	const secret = "我是三楼护士小王，护士长每天中午喝酒。"
	inProgress, _ := h.seed(t, storage.NewOpinion{Content: secret})
	h.walkTo(t, u.ID, inProgress, lifecycle.Assigned)
	done, _ := h.seed(t, storage.NewOpinion{Content: "挂号窗口太少，排队很久，希望改进。"})
	h.walkTo(t, u.ID, done, lifecycle.Closed)
	// Six more at the bureau this month: not "<5", but withheld ("*") all the same, or the
	// total would give the county hospital's "<5" away (see TestGongshiSmallCountsNotComputable).
	for i := 0; i < 6; i++ {
		h.seed(t, storage.NewOpinion{UnitCode: "bureau", Content: "局机关的意见内容，共六条之一。"})
	}

	item := "/admin/opinions/" + inProgress
	r := b.post(t, item+"/publish", url.Values{"pub_title": {"工作时间饮酒问题"}, "pub_body": {"已责成有关科室整改，并纳入月度考评。"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = b.post(t, "/admin/opinions/"+done+"/publish", url.Values{"pub_title": {"挂号排队时间长"},
		"pub_body": {"增开挂号窗口。"}, "pub_result": {"已增开两个窗口，排队不超过二十分钟。"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = b.post(t, item+"/publish", url.Values{"pub_title": {""}, "pub_body": {"正文"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantContains(t, r.Body, "标题不能为空")

	public := h.browser()
	page := public.get(t, "/gongshi")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.Body, "工作时间饮酒问题", "已责成有关科室整改", "您说我们改", "挂号排队时间长", "已增开两个窗口",
		"县人民医院", "<td>&lt;5</td>", `<th scope="row">县卫生健康局机关</th><td>&lt;5</td><td>&lt;5</td><td>&lt;5</td><td>*</td>`)
	wantNotContains(t, page.Body, secret, "护士小王", inProgress, done)
	if _, ok := public.cookies["ms_csrf"]; ok {
		t.Error("the public board set a cookie")
	}
	inDone := strings.Index(page.Body, "您说我们改")
	if i := strings.Index(page.Body, "挂号排队时间长"); i < inDone {
		t.Error("finished work is not under 您说我们改")
	}

	wantStatus(t, b.post(t, item+"/unpublish", url.Values{}), http.StatusSeeOther)
	wantNotContains(t, public.get(t, "/gongshi").Body, "工作时间饮酒问题")
}
