package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/handlers"
	"minsheng/lifecycle"
	"minsheng/receipt"
	"minsheng/storage"
	"minsheng/suggest/corpus"
	"minsheng/tagging"
)

// withSmallCorpus has the suggestion model retrain from a sample of the corpus: the loop is
// what is tested here, in seconds, not the full model's quality (suggest/corpus measures that).
func withSmallCorpus(t *testing.T) harnessOption {
	return func(c *handlers.Config) {
		train, heldout, err := corpus.Sample(200, 80)
		if err != nil {
			t.Fatal(err)
		}
		if c.Learner, err = tagging.Open(context.Background(), c.Store, tagging.WithCorpus(train, heldout)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSuggestionsLearnFromTheOffice: a reviewer sees the model's suggestions on an opinion,
// accepts one with a click, removes another tag and saves; an administrator retrains; the model
// page then shows the new model's figures and what it learnt from the office.
func TestSuggestionsLearnFromTheOffice(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t, withSmallCorpus(t))
	ctx := context.Background()
	if _, err := h.Store.CreateUser(ctx, 0, adminName, adminPassword, storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	norm, _ := receipt.Parse(receipt.New())
	id, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: "county-hospital",
		Submitter: "patient", Content: "办个证跑了四趟，窗口说不归他们管，又让去别的科室开证明，科室又说要窗口先盖章。"}, h.Receipts.Hash(norm))
	if err != nil {
		t.Fatal(err)
	}

	step(t, "1. the reviewer sees the suggestions, with their scores and the words behind them")
	desk := newTab(t, browser, h, true)
	staffLogin(t, desk, h, reviewerName, reviewerPassword)
	wantStatus(t, "GET the opinion", navigate(t, desk, h.URL+"/admin/opinions/"+id), 200)
	panel := textOf(t, desk, "#suggestions")
	wantContains(t, "the suggestions", panel, "官僚主义")
	wantContains(t, "the suggestions", panel, "%")
	saveScreenshot(t, desk, "suggestions.png")

	step(t, "2. one click accepts 官僚主义; nothing was tagged before the click")
	if o, _ := h.Store.Opinion(ctx, id); len(o.Styles) != 0 || len(o.Tags) != 0 {
		t.Fatalf("suggestions tagged the opinion by themselves: %v %v", o.Styles, o.Tags)
	}
	wantStatus(t, "accept 官僚主义", clickAndLoad(t, desk, `#suggestions form:has(input[name=code][value=bureaucratism]) button`), 200)
	if !hasAttr(t, desk, `#tags input[name=style][value=bureaucratism]`, "checked") {
		t.Fatal("官僚主义 is not ticked after accepting it")
	}

	step(t, "3. the reviewer adds a family by hand, then removes it again and saves")
	do(t, desk, "tick 服务态度", chromedp.Click(chromedp.CSS(`#tags input[name=tag][value=service_attitude]`)))
	wantStatus(t, "save the tags", clickAndLoad(t, desk, `#tags button[type=submit]`), 200)
	do(t, desk, "untick 服务态度", chromedp.Click(chromedp.CSS(`#tags input[name=tag][value=service_attitude]`)))
	wantStatus(t, "save the tags again", clickAndLoad(t, desk, `#tags button[type=submit]`), 200)
	o, err := h.Store.Opinion(ctx, id)
	if err != nil || len(o.Styles) != 1 || o.Styles[0] != "bureaucratism" || len(o.Tags) != 0 {
		t.Fatalf("after accepting and removing: styles %v tags %v (%v), want 官僚主义 alone", o.Styles, o.Tags, err)
	}
	walk(t, h.Store, id, lifecycle.Triaged) // sorted: now one of the office's decisions

	step(t, "4. the administrator retrains; the model page shows the new figures")
	admin := newTab(t, browser, h, true)
	staffLogin(t, admin, h, adminName, adminPassword)
	wantStatus(t, "GET /admin/model", navigate(t, admin, h.URL+"/admin/model"), 200)
	wantContains(t, "the model page before", textOf(t, admin, "main"), "平台自带的初始模型")
	wantStatus(t, "retrain", clickAndLoad(t, admin, `form[action="/admin/model/retrain"] button`), 200)
	page := textOf(t, admin, "main")
	wantContains(t, "the model page after", page, "重新训练完成")
	office := "0"
	if !tagging.HeldOut(id) {
		office = "1"
	}
	wantContains(t, "the history of models", page, "本单位 "+office+" 条")
	if strings.Contains(page, "还没有重新训练过") {
		t.Error("the model page still says no model was trained")
	}
	saveScreenshot(t, admin, "model-after-retrain.png")
}
