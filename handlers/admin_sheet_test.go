package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// Ensure the 交办单 of an opinion handed to a unit carries what the unit needs (the unit and
// department, the deadline, the measures, the steps to take, the lines to sign), shows the
// opinion's text as the reader's own item page does (identifiers masked for all but those who
// may see them), never prints the submitter's contact, cuts a long text to fit its one page,
// is refused before the opinion is handed out, and is for those who may open the item.
func TestAssignmentSheet(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	h := f.h
	id, _ := h.seed(t, storage.NewOpinion{Dept: "门诊收费处", Contact: "微信 zhang_san_1980",
		Content: "收费处排队两个小时。我的电话 13812345678。" + strings.Repeat("窗口只开了一个，老人站不住。", 60)})
	sheet := "/admin/opinions/" + id + "/sheet"

	r := f.b.get(t, sheet)
	wantStatus(t, r, http.StatusConflict)
	wantContains(t, r.Body, "还不能打印交办单", "牵头单位、责任人和整改时限")
	wantNotContains(t, f.b.get(t, "/admin/opinions/"+id).Body, "打印交办单")

	h.walkTo(t, f.user.ID, id, lifecycle.Assigned)
	wantContains(t, f.b.get(t, "/admin/opinions/"+id).Body, `id="sheet-link" href="`+sheet+`"`)

	admin := h.addUser(t, storage.NewUser{Username: "管理员", Role: access.Admin})
	liaison := h.addUser(t, storage.NewUser{Username: "县医院联络员", Role: access.Liaison, Unit: "county-hospital"})
	other := h.addUser(t, storage.NewUser{Username: "中医院联络员", Role: access.Liaison, Unit: "tcm-hospital"})
	tests := []struct {
		name, user string
		status     int
		masked     bool
	}{
		{"reviewer", f.user.Username, http.StatusOK, true},
		{"liaison of the lead unit", liaison.Username, http.StatusOK, true},
		{"administrator", admin.Username, http.StatusOK, false},
		{"liaison of another unit", other.Username, http.StatusNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.login(t, tt.user, staffPassword).get(t, sheet)
			wantStatus(t, r, tt.status)
			if tt.status != http.StatusOK {
				wantNotContains(t, r.Body, "收费处排队")
				return
			}
			wantContains(t, r.Body, "意见整改交办单", id, "县人民医院 · 门诊收费处", "门诊部主任", "增开窗口，高峰增派人员",
				"具体问题整改", "2030-01-01", "交办日期 2026-04-15", "已交办", "改为‘整改中’", "改为‘已整改待核验’",
				"回头看", "补课返工", "不得打听、追查留言人", "追究责任", "交办人（局活动办）", "牵头单位负责人", "责任人",
				"原文共 ", "全文请在民声平台查看")
			wantNotContains(t, r.Body, "zhang_san", "微信", "<no value>")
			if got := strings.Contains(r.Body, "13812345678"); got == tt.masked {
				t.Errorf("the phone number written in the opinion printed: %v, want masked: %v", got, tt.masked)
			}
			if tt.masked {
				wantContains(t, r.Body, "已隐去身份证号、电话等个人信息")
			}
		})
	}
}

// Ensure staff read on the item page what submitters wrote with their rating, their own and
// that of an opinion merged into it, with identifiers masked as in the opinion's text.
func TestItemShowsRatingWords(t *testing.T) {
	t.Parallel()
	f := newItemFixture(t)
	dup, dupCode := f.h.seed(t, storage.NewOpinion{Content: "急诊科医生值班时间打游戏，我也遇到过。"})
	if err := f.h.store.Transition(context.Background(), f.user.ID, dup, fullStep(lifecycle.Duplicate, f.id)); err != nil {
		t.Fatalf("merge: %v", err)
	}
	f.h.walkTo(t, f.user.ID, f.id, lifecycle.Satisfaction)
	rate := func(code, rating, words string) {
		t.Helper()
		b := f.h.browser()
		b.getCSRF(t, "/track")
		wantStatus(t, b.post(t, "/track/rate", url.Values{"code": {code}, "rating": {rating}, "words": {words}}), http.StatusOK)
	}
	rate(f.code, "basically", "医生换了，但是晚上还是没人接电话。")
	rate(dupCode, "satisfied", "好多了，有事打我电话 13812345678。")

	r := f.b.get(t, "/admin/opinions/"+f.id)
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, `id="ratings"`, "留言人评价", "<strong>基本满意</strong>", "医生换了，但是晚上还是没人接电话。",
		"<strong>满意</strong>", "好多了，有事打我电话 ", "合并进来的意见 "+dup)
	wantNotContains(t, r.Body, "13812345678")
}
