package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"minsheng/access"
	"minsheng/storage"
)

// TestTaxonomyPage: an administrator adds a tag (refused with a message by the field when the
// code is bad or taken), renames it with keywords, retires and restores it; nothing is deleted,
// and each change is audited. Other roles cannot reach the page.
func TestTaxonomyPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	admin := h.staffAs(t, access.Admin)

	r := admin.get(t, "/admin/taxonomy")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "分类标签", "推诿扯皮、久拖不办", "红包回扣/开单提成", `action="/admin/taxonomy/kickbacks/retired"`)

	tests := []struct {
		name   string
		form   url.Values
		status int
		wants  []string
	}{
		{"bad code", url.Values{"code": {"X Y"}, "kind": {"family"}, "label": {"医保报销"}}, 422, []string{"代码只能用小写英文字母开头"}},
		{"taken code", url.Values{"code": {"praise"}, "kind": {"family"}, "label": {"表扬信"}}, 422, []string{"这个代码已经有了"}},
		{"manifestation without style", url.Values{"code": {"hedonism-games"}, "kind": {"manifestation"}, "label": {"上班打游戏"}}, 422, []string{"具体表现要选它属于哪一种"}},
		{"added", url.Values{"code": {"hedonism-games"}, "kind": {"manifestation"}, "style": {"hedonism"}, "label": {"上班打游戏"},
			"label_en": {"Gaming at work"}, "keywords": {"打游戏\r\n玩手机\r\n"}}, 303, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.post(t, "/admin/taxonomy", tt.form)
			wantStatus(t, r, tt.status)
			wantContains(t, r.Body, tt.wants...)
			if tt.status == 422 {
				wantContains(t, r.Body, `value="`+tt.form.Get("label")+`"`) // what was typed stays
			}
		})
	}
	wantStatus(t, admin.post(t, "/admin/taxonomy/hedonism-games", url.Values{"label": {"上班时间打游戏"}, "label_en": {"Gaming at work"}, "keywords": {"打游戏"}}), 303)
	wantStatus(t, admin.post(t, "/admin/taxonomy/hedonism-games", url.Values{"label": {""}}), 422)
	wantStatus(t, admin.post(t, "/admin/taxonomy/hedonism-games/retired", url.Values{"retired": {"1"}}), 303)
	r = admin.get(t, "/admin/taxonomy")
	wantContains(t, r.Body, "上班时间打游戏", "起停用", `name="retired" value="0"`)
	tags, err := h.store.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found storage.Tag
	for _, g := range tags {
		if g.Code == "hedonism-games" {
			found = g
		}
	}
	if found.Label != "上班时间打游戏" || !found.Retired() || len(found.Keywords) != 1 {
		t.Errorf("stored tag = %+v", found)
	}
	entries, err := h.store.RecentAudit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range entries {
		actions[e.Action] = true
	}
	for _, a := range []string{"tag_add", "tag_edit", "tag_retire"} {
		if !actions[a] {
			t.Errorf("no %s in the audit log", a)
		}
	}

	reviewer, _ := h.staff(t)
	wantStatus(t, reviewer.get(t, "/admin/taxonomy"), http.StatusForbidden)
	wantStatus(t, reviewer.post(t, "/admin/taxonomy/praise/retired", url.Values{"retired": {"1"}}), http.StatusForbidden)
}

// TestTaxonomyPageInEnglish: the page and its messages in an English-reading administrator's
// language, the seeded tags with their English names.
func TestTaxonomyPageInEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := pageBrowsers(t, h, "en")[storage.RoleAdmin]
	r := admin.get(t, "/admin/taxonomy")
	wantContains(t, r.Body, "Tags", "Passing the buck, letting matters drag on", "Red envelopes and kickbacks")
	r = admin.post(t, "/admin/taxonomy", url.Values{"code": {"praise"}, "kind": {"family"}, "label": {"x"}})
	wantStatus(t, r, 422)
	wantContains(t, r.Body, "That code is taken")
}

// TestModelPage: the model page shows the starting model's figures on held-out items to a
// reviewer and an administrator; only the administrator may retrain, and a retraining is kept
// in the list whichever model ends up in use.
func TestModelPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withSmallCorpus)
	reviewer, _ := h.staff(t)
	r := reviewer.get(t, "/admin/model")
	wantStatus(t, r, http.StatusOK)
	wantContains(t, r.Body, "标签提示模型", "平台自带的初始模型", "官僚主义", "准确率", "召回率")
	wantNotContains(t, r.Body, `action="/admin/model/retrain"`)
	wantStatus(t, reviewer.post(t, "/admin/model/retrain", nil), http.StatusForbidden)

	admin := h.staffAs(t, access.Admin)
	r = admin.post(t, "/admin/model/retrain", nil)
	wantStatus(t, r, http.StatusSeeOther)
	r = admin.get(t, r.location())
	wantContains(t, r.Body, "重新训练完成")
	models, err := h.store.Models(context.Background())
	if err != nil || len(models) != 1 {
		t.Fatalf("models = %d (%v), want the one just trained", len(models), err)
	}
}
