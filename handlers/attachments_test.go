package handlers_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/internal/storetest"
	"minsheng/internal/testkit"
	"minsheng/storage"
)

// The secrets a test plants in a file's metadata, and the name it sends the file under: none may
// be kept, nor served.
const (
	pngText  = "PNG-TEXT-SECRET"
	fileName = "IMG_20260415_143752_SECRET.jpg"
)

// testPicture is a w×h picture, not of one colour.
func testPicture(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 9), uint8(y * 5), 128, 255})
		}
	}
	return img
}

// textPNG is a w×h PNG with a tEXt chunk after its header.
func textPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testPicture(w, h)); err != nil {
		t.Fatal(err)
	}
	data := []byte("Author\x00" + pngText)
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, "tEXt"...), data...)
	c = binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	plain := b.Bytes()
	return append(append(append([]byte{}, plain[:33]...), c...), plain[33:]...)
}

// upload is one file sent with a form.
type upload struct {
	name, contentType string
	data              []byte
}

// postMultipart posts vals and files as multipart/form-data, as a browser sends a form with
// enctype="multipart/form-data": the fields first, then the files.
func (b *browser) postMultipart(t *testing.T, target string, vals url.Values, files []upload) *response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range vals {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", `form-data; name="files"; filename="`+f.name+`"`)
		hdr.Set("Content-Type", f.contentType)
		pw, err := w.CreatePart(hdr)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(f.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.do(t, http.MethodPost, target, body.String(), w.FormDataContentType())
}

// submitFiles fills /submit as a person would (captcha solved) and sends it with files.
func (b *browser) submitFiles(t *testing.T, vals url.Values, files []upload) *response {
	t.Helper()
	page := b.getCSRF(t, "/submit")
	v := url.Values{"_csrf": {b.token}}
	id, answer := b.h.captchaFor(t, page.Body)
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	for k, vs := range vals {
		v[k] = vs
	}
	return b.follow(t, b.postMultipart(t, "/submit", v, files))
}

var fileLinkRe = regexp.MustCompile(`href="(/admin/opinions/[^/"]+/files/[^"]+)"`)

// fileLinks are the download links of an item page.
func fileLinks(body string) []string {
	var out []string
	for _, m := range fileLinkRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// storedAttachments reads every kept file's bytes from the database.
func storedAttachments(t *testing.T, h *harness) [][]byte {
	t.Helper()
	return storetest.AttachmentBytes(t, h.store)
}

func TestAttachmentsUploadedCleanedAndServed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	vals := validOpinion()
	files := []upload{
		{fileName, "image/jpeg", testkit.GPSJPEG(t, 64, 48)},
		{"scan.png", "image/png", textPNG(t, 40, 30)},
		{"second.jpg", "image/jpeg", testkit.GPSJPEG(t, 20, 10)},
	}
	done := h.browser().submitFiles(t, vals, files)
	if done.Code != http.StatusOK {
		t.Fatalf("submit with 3 files: %d\n%s", done.Code, done.Body)
	}
	o := h.byReceipt(t, receiptOf(t, done))

	stored := storedAttachments(t, h)
	if len(stored) != 3 {
		t.Fatalf("%d files stored, want 3", len(stored))
	}
	for _, data := range stored {
		for _, secret := range []string{testkit.GPSCamera, pngText, "Exif", "tEXt", "SECRET"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("a stored file holds %q", secret)
			}
		}
	}
	// No file name anywhere in the database file (nor its write-ahead log).
	for _, path := range []string{h.dbPath, h.dbPath + "-wal"} {
		raw, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("IMG_20260415")) || bytes.Contains(raw, []byte("scan.png")) {
			t.Errorf("%s holds a file name", path)
		}
	}

	staff, _ := h.staff(t)
	page := staff.get(t, "/admin/opinions/"+o.ID)
	wantStatus(t, page, http.StatusOK)
	links := fileLinks(page.Body)
	if len(links) != 3 || !strings.Contains(page.Body, "JPG 照片") || !strings.Contains(page.Body, "PNG 图片") {
		t.Fatalf("item page lists %d files (%v), want 3 with their kinds", len(links), links)
	}
	sizes := map[image.Point]bool{}
	for _, link := range links {
		r := staff.get(t, link)
		wantStatus(t, r, http.StatusOK)
		ct := r.Header.Get("Content-Type")
		if ct != "image/jpeg" && ct != "image/png" {
			t.Errorf("%s: Content-Type %q", link, ct)
		}
		if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", link, got)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, o.ID) ||
			strings.Contains(cd, "IMG") || strings.Contains(cd, "scan") {
			t.Errorf("%s: Content-Disposition %q", link, cd)
		}
		for _, secret := range []string{testkit.GPSCamera, pngText, "Exif", "SECRET"} {
			if strings.Contains(r.Body, secret) {
				t.Errorf("%s: the served file holds %q", link, secret)
			}
		}
		img, _, err := image.Decode(strings.NewReader(r.Body))
		if err != nil {
			t.Fatalf("%s: %v", link, err)
		}
		sizes[image.Pt(img.Bounds().Dx(), img.Bounds().Dy())] = true
	}
	for _, want := range []image.Point{{64, 48}, {40, 30}, {20, 10}} {
		if !sizes[want] {
			t.Errorf("no served picture of %v: %v", want, sizes)
		}
	}
	// Each download is in the item's history.
	page = staff.get(t, "/admin/opinions/"+o.ID)
	if n := strings.Count(page.Body, "下载附件"); n != 3 {
		t.Errorf("history shows %d downloads, want 3", n)
	}
	// The submitter's own files are not shown back on /track.
	b := h.browser()
	b.getCSRF(t, "/track")
	tracked := b.post(t, "/track", url.Values{"code": {receiptOf(t, done)}})
	wantStatus(t, tracked, http.StatusOK)
	if strings.Contains(tracked.Body, "/files/") {
		t.Error("/track links the files")
	}
}

func TestAttachmentsRefusedWithTheWordsKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	j := testkit.GPSJPEG(t, 16, 16)
	big := append(append([]byte{}, j...), make([]byte, 10<<20)...)
	cases := []struct {
		name  string
		files []upload
		want  string
	}{
		{"four files", []upload{{"a.jpg", "image/jpeg", j}, {"b.jpg", "image/jpeg", j}, {"c.jpg", "image/jpeg", j}, {"d.jpg", "image/jpeg", j}}, "最多只能附 3 张照片"},
		{"over 10 MB", []upload{{"big.jpg", "image/jpeg", big}}, "超过了 10 MB"},
		{"a text file", []upload{{"note.jpg", "image/jpeg", []byte("just some words, not a picture")}}, "只能附 JPG 或 PNG"},
		{"a GIF", []upload{{"a.gif", "image/gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")}}, "只能附 JPG 或 PNG"},
		{"a broken JPEG", []upload{{"a.jpg", "image/jpeg", j[:len(j)/2]}}, "打不开"},
		{"a PDF", []upload{{"bill.pdf", "application/pdf", []byte("%PDF-1.4\n1 0 obj << /Author (Someone) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF")}}, "暂时不能附 PDF"},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, err := h.store.CountOpinions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			vals := validOpinion()
			r := h.browser().submitFiles(t, vals, c.files)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if !strings.Contains(r.Body, c.want) {
				t.Errorf("no %q on the form", c.want)
			}
			if !strings.Contains(r.Body, vals.Get("content")) || !strings.Contains(r.Body, vals.Get("dept")) {
				t.Error("the words were not kept")
			}
			if !strings.Contains(r.Body, `id="files-again"`) {
				t.Error("the form does not ask to choose the files again")
			}
			if after, _ := h.store.CountOpinions(ctx); after != before {
				t.Errorf("an opinion was stored (%d → %d)", before, after)
			}
		})
	}
	if n := len(storedAttachments(t, h)); n != 0 {
		t.Errorf("%d files kept after refusals", n)
	}
	// One and two files are fine; so is none, in the same encoding.
	for n := 0; n <= 2; n++ {
		files := []upload{{"a.jpg", "image/jpeg", j}, {"b.jpg", "image/jpeg", j}}[:n]
		if r := h.browser().submitFiles(t, validOpinion(), files); r.Code != http.StatusOK {
			t.Errorf("%d files: %d", n, r.Code)
		}
	}
	if n := len(storedAttachments(t, h)); n != 3 {
		t.Errorf("%d files kept, want 0+1+2", n)
	}
}

// The other form fields' problems and the files' come back together; the form warns about what
// a photo may show.
func TestSubmitFormFileField(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser()
	page := b.getCSRF(t, "/submit")
	for _, want := range []string{`enctype="multipart/form-data"`, `name="files"`, `accept="image/jpeg,image/png"`, "别人的脸"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("/submit lacks %s", want)
		}
	}
	if strings.Contains(page.Body, `id="files-again"`) {
		t.Error("a fresh form asks to choose files again")
	}
	vals := validOpinion()
	vals.Set("content", "太短")
	r := b.submitFiles(t, vals, []upload{{"a.jpg", "image/jpeg", testkit.GPSJPEG(t, 8, 8)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, `id="files-again"`) || !strings.Contains(r.Body, "太短") {
		t.Error("refused for its text, the form must keep it and ask for the files again")
	}
}

func TestAttachmentOnlyForThoseWhoCanOpenTheItem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	done := h.browser().submitFiles(t, validOpinion(), []upload{{"a.jpg", "image/jpeg", testkit.GPSJPEG(t, 16, 16)}})
	wantStatus(t, done, http.StatusOK)
	o := h.byReceipt(t, receiptOf(t, done))
	other, _ := h.seed(t, storage.NewOpinion{Content: "病房夜里太吵，护士站不管。"})

	staff, _ := h.staff(t)
	links := fileLinks(staff.get(t, "/admin/opinions/"+o.ID).Body)
	if len(links) != 1 {
		t.Fatalf("%d links", len(links))
	}
	file := links[0][strings.LastIndex(links[0], "/")+1:]
	wantStatus(t, staff.get(t, links[0]), http.StatusOK)

	h.addUser(t, storage.NewUser{Username: "青山联络员", Role: access.Liaison, Unit: "qingshan-thc"})
	liaison := h.login(t, "青山联络员", staffPassword)
	if r := liaison.get(t, links[0]); r.Code != http.StatusNotFound {
		t.Errorf("a liaison of another unit: %d, want 404", r.Code)
	}
	if r := staff.get(t, "/admin/opinions/"+other+"/files/"+file); r.Code != http.StatusNotFound {
		t.Errorf("the file through another opinion: %d, want 404", r.Code)
	}
	if r := staff.get(t, "/admin/opinions/"+o.ID+"/files/nosuchfile0000000000"); r.Code != http.StatusNotFound {
		t.Errorf("an unknown file: %d, want 404", r.Code)
	}
	if r := h.browser().get(t, links[0]); r.Code == http.StatusOK || strings.Contains(r.Body, "JFIF") {
		t.Errorf("without a session: %d", r.Code)
	}
}

// Staff typing in a letter may attach its scans, cleaned the same way; a refused one keeps
// what they typed.
func TestTranscriptionTakesScans(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	staff.getCSRF(t, "/admin/transcribe")
	bad := staff.postMultipart(t, "/admin/transcribe", withToken(slip(), staff.token),
		[]upload{{"letter.pdf", "application/pdf", []byte("%PDF-1.7\n%%EOF")}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.Body, "急诊科夜间只有一名医生") || !strings.Contains(bad.Body, "暂时不能附 PDF") ||
		!strings.Contains(bad.Body, `id="files-again"`) {
		t.Error("a refused scan: the words, the reason or the request to choose again are missing")
	}
	if n := len(storedAttachments(t, h)); n != 0 {
		t.Fatalf("%d files kept after a refusal", n)
	}
	r := staff.postMultipart(t, "/admin/transcribe", withToken(slip(), staff.token),
		[]upload{{fileName, "image/jpeg", testkit.GPSJPEG(t, 48, 64)}, {"back.png", "image/png", textPNG(t, 10, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	stored := storedAttachments(t, h)
	if len(stored) != 2 {
		t.Fatalf("%d scans kept, want 2", len(stored))
	}
	for _, data := range stored {
		if bytes.Contains(data, []byte(testkit.GPSCamera)) || bytes.Contains(data, []byte(pngText)) {
			t.Error("a kept scan holds its metadata")
		}
	}
}

// withToken is vals with the CSRF token added.
func withToken(vals url.Values, token string) url.Values {
	vals.Set("_csrf", token)
	return vals
}
