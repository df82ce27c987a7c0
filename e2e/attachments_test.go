package e2e

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minsheng/internal/testkit"
	"minsheng/receipt"
)

// TestPhotoSentWithoutItsMetadata: a patient's phone (JavaScript off) sends an opinion with a
// photo carrying its GPS position; what is kept has none, the same size, and the reviewer finds
// it on the item page, without the name the phone gave it.
func TestPhotoSentWithoutItsMetadata(t *testing.T) {
	browser := newBrowser(t)
	h := newHarness(t)
	phone := newTab(t, browser, h, true)

	step(t, "1. the form warns about what a photo may show; the patient chooses one and sends")
	photo := filepath.Join(t.TempDir(), "IMG_20260415_143752.jpg")
	if err := os.WriteFile(photo, testkit.GPSJPEG(t, 120, 80), 0o600); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "GET /submit", navigate(t, phone, h.URL+"/submit?unit=county-hospital"), 200)
	wantContains(t, "warning by the file field", textOf(t, phone, "#files-warning"), "别人的脸")
	checkPhonePage(t, phone, "/submit")
	checkAxe(t, phone, true, "/submit with its file field")
	do(t, phone, "choose the photo", chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{photo}))
	code := submitOpinion(t, phone, h, "POST /submit with a photo", "complaint", "patient",
		"收费单上多收了两次检查费，照片是收费单。")

	step(t, "2. the photo is kept without its EXIF, at its size")
	norm, err := receipt.Parse(code)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	o, err := h.Store.OpinionByReceipt(ctx, h.Receipts.Hash(norm))
	if err != nil {
		t.Fatal(err)
	}
	files, err := h.Store.Attachments(ctx, o.ID)
	if err != nil || len(files) != 1 {
		t.Fatalf("%d files kept (%v), want 1", len(files), err)
	}
	_, data, err := h.Store.AttachmentData(ctx, 0, o.ID, files[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testkit.GPSCamera, "Exif", "IMG_2026"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the kept photo holds %q", secret)
		}
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil || img.Bounds().Dx() != 120 || img.Bounds().Dy() != 80 {
		t.Fatalf("the kept photo: %v, %v", err, img.Bounds())
	}

	step(t, "3. the reviewer sees it listed on the item page")
	desk := newTab(t, browser, h, false)
	wantStatus(t, "GET /admin/login", navigate(t, desk, h.URL+"/admin/login"), 200)
	do(t, desk, "log in",
		chromedp.SendKeys(chromedp.CSS("#username"), reviewerName),
		chromedp.SendKeys(chromedp.CSS("#password"), reviewerPassword),
	)
	wantStatus(t, "POST /admin/login", clickAndLoad(t, desk, `form[action="/admin/login"] button[type=submit]`), 200)
	wantStatus(t, "open the item", navigate(t, desk, h.URL+"/admin/opinions/"+o.ID), 200)
	listed := textOf(t, desk, "#attachments")
	wantContains(t, "attachments section", listed, "JPG 照片")
	if strings.Contains(listed, "IMG_") {
		t.Errorf("the item page names the file as the phone did: %q", listed)
	}
	checkAxe(t, desk, false, "the item page with its attachments")
	href := attrOf(t, desk, "#attachments a", "href")
	if !strings.HasSuffix(href, "/files/"+files[0].ID) {
		t.Errorf("download link %q", href)
	}
}
