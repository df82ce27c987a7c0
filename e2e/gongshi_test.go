package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/receipt"
	"minsheng/storage"
)

// gongshiLayout is what a phone shows of the notice board's unit × month table.
type gongshiLayout struct {
	PageWidth, Viewport int  // the document's scroll width and the window's
	Heads, HeadsShown   int  // month headers (with the unit column's), and those laid out
	BoxScrolls          bool // the table is wider than its box, which scrolls
	LastHeadVisible     bool // scrolled to the end, the last month's header is in view
	UnitStuck           bool // …and the unit names stay at the box's left edge
	CornerStuck         bool // …and so does the 单位 header above them
}

const gongshiLayoutJS = `(() => {
  const table = document.querySelector('#unit-month');
  const box = document.querySelector('.figures-scroll') || table.parentElement;
  const heads = [...table.querySelectorAll('thead th')];
  const out = {
    PageWidth: document.documentElement.scrollWidth,
    Viewport: window.innerWidth,
    Heads: heads.length,
    HeadsShown: heads.filter(th => getComputedStyle(th.closest('thead')).display !== 'none' &&
      th.getBoundingClientRect().width > 0 && th.textContent.trim() !== '').length,
    BoxScrolls: box.scrollWidth > box.clientWidth,
  };
  box.scrollLeft = box.scrollWidth;
  const b = box.getBoundingClientRect();
  const last = heads[heads.length - 1].getBoundingClientRect();
  out.LastHeadVisible = last.width > 0 && last.left >= b.left - 1 && last.right <= b.right + 1;
  const unit = table.querySelector('tbody tr > :first-child').getBoundingClientRect();
  out.UnitStuck = Math.abs(unit.left - b.left) <= 2;
  out.CornerStuck = Math.abs(heads[0].getBoundingClientRect().left - b.left) <= 2;
  return out;
})()`

// TestGongshiOnPhone opens the notice board at 360 px with JavaScript off: the unit × month
// table keeps its month headers, scrolls inside its own box with the unit names held in place,
// and the page itself never scrolls sideways.
func TestGongshiOnPhone(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	ctx := context.Background()
	for unit, n := range map[string]int{"county-hospital": 12, "bureau": 7, "tcm-hospital": 2} {
		for i := 0; i < n; i++ {
			code, err := receipt.Parse(receipt.New())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.Store.CreateOpinion(ctx, storage.NewOpinion{Type: "complaint", UnitCode: unit,
				Submitter: "patient", Content: "候诊区的椅子坏了好几把，一直没人修。"}, h.Receipts.Hash(code)); err != nil {
				t.Fatalf("seed an opinion: %v", err)
			}
		}
	}
	phone := newTab(t, browser, h, true)
	wantStatus(t, "GET /gongshi", navigate(t, phone, h.URL+"/gongshi"), 200)
	got, err := run(phone, chromedp.Evaluate[gongshiLayout](gongshiLayoutJS))
	if err != nil {
		t.Fatalf("measure the table: %s", errContext(err))
	}
	saveScreenshot(t, phone, "gongshi-360.png")
	t.Logf("%+v", got)
	if got.PageWidth > got.Viewport {
		t.Errorf("the page is %d px wide in a %d px window: it scrolls sideways", got.PageWidth, got.Viewport)
	}
	if got.Heads < 2 || got.HeadsShown != got.Heads {
		t.Errorf("%d of %d column headers are shown, want all", got.HeadsShown, got.Heads)
	}
	if !got.LastHeadVisible {
		t.Error("scrolled to its end, the table does not show the last month's header")
	}
	if got.BoxScrolls && (!got.UnitStuck || !got.CornerStuck) {
		t.Errorf("scrolled sideways, the unit names move away (unit column held: %v, its header: %v)",
			got.UnitStuck, got.CornerStuck)
	}
}
