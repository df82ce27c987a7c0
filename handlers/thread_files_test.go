package handlers_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/internal/testkit"
	"minsheng/storage"
)

// Ensure the submitter's photos with an answer on /track: stored with the message, cleaned of
// the EXIF the test planted (in the database and as served), listed on the item page for staff
// who may open it (audited read), refused for another unit's liaison; never on /track.
func TestConversationPhotoWithAnAnswer(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	id, code := h.seed(t, storage.NewOpinion{Content: "输液室的椅子坏了好几把。"})
	wantStatus(t, staff.post(t, "/admin/opinions/"+id+"/messages",
		url.Values{"kind": {"question"}, "body": {"请拍一张椅子的照片？"}}), http.StatusSeeOther)

	b, tracked := trackWithCode(t, h, code)
	wantContains(t, tracked.Body, `enctype="multipart/form-data"`, `name="files"`)
	m := answersRe.FindStringSubmatch(tracked.Body)
	if m == nil {
		t.Fatal("no answer form under the question")
	}
	answered := b.postMultipart(t, "/track/message", withToken(url.Values{"code": {code}, "kind": {"answer"},
		"answers": {m[1]}, "words": {"三号输液室，照片在这里"}}, b.token),
		[]upload{{fileName, "image/jpeg", testkit.GPSJPEG(t, 64, 48)}})
	wantStatus(t, answered, http.StatusSeeOther)
	wantNoCodeIn(t, code, tracked, answered)

	stored := storedAttachments(t, h)
	if len(stored) != 1 {
		t.Fatalf("%d files kept, want 1", len(stored))
	}
	if bytes.Contains(stored[0], []byte(testkit.GPSCamera)) || bytes.Contains(stored[0], []byte("Exif")) {
		t.Error("the kept photo holds its EXIF")
	}
	item := staff.get(t, "/admin/opinions/"+id)
	wantContains(t, item.Body, "三号输液室，照片在这里")
	links := fileLinks(item.Body)
	if len(links) != 1 {
		t.Fatalf("%d file links on the item page, want 1", len(links))
	}
	served := staff.get(t, links[0])
	wantStatus(t, served, http.StatusOK)
	if served.Header.Get("Content-Type") != "image/jpeg" || served.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(served.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("served with %v", served.Header)
	}
	if strings.Contains(served.Body, testkit.GPSCamera) || strings.Contains(served.Body, "Exif") || strings.Contains(served.Body, fileName) {
		t.Error("the served photo holds its EXIF or its name")
	}
	if !strings.HasPrefix(served.Body, "\xff\xd8") {
		t.Error("the served file is not a JPEG")
	}
	audit := staff.get(t, "/admin/opinions/"+id)
	wantContains(t, audit.Body, "下载附件")

	h.addUser(t, storage.NewUser{Username: "青山联络员", Role: access.Liaison, Unit: "qingshan-thc"})
	liaison := h.login(t, "青山联络员", staffPassword)
	if r := liaison.get(t, links[0]); r.Code != http.StatusNotFound {
		t.Errorf("another unit's liaison: %d, want 404", r.Code)
	}
	_, again := trackWithCode(t, h, code)
	wantContains(t, again.Body, "三号输液室，照片在这里")
	if strings.Contains(again.Body, "/files/") {
		t.Error("/track links a file")
	}
}

// Ensure refused photos keep the words and ask kindly for the files again: a 4th photo, a file
// that is not a photo; nothing is written, the message neither.
func TestConversationPhotosRefusedWithTheWordsKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id, code := h.seed(t, storage.NewOpinion{Content: "输液室的椅子坏了好几把。"})
	b, _ := trackWithCode(t, h, code)
	photo := upload{"a.jpg", "image/jpeg", testkit.GPSJPEG(t, 16, 16)}
	cases := []struct {
		name  string
		files []upload
		want  string
	}{
		{"four photos", []upload{photo, photo, photo, photo}, "最多只能附 3 张照片"},
		{"a PDF", []upload{{"a.pdf", "application/pdf", []byte("%PDF-1.7\n%%EOF")}}, "暂时不能附 PDF"},
		{"not an image", []upload{{"a.jpg", "image/jpeg", []byte("not a picture at all")}}, "只能附 JPG 或 PNG"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := b.postMultipart(t, "/track/message", withToken(url.Values{"code": {code}, "kind": {"addition"},
				"words": {"今天又有一把坏了，" + tc.name}}, b.token), tc.files)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			wantContains(t, r.Body, "今天又有一把坏了，"+tc.name, tc.want, "请重新选择一次")
		})
	}
	if n := len(storedAttachments(t, h)); n != 0 {
		t.Errorf("%d files kept after refusals", n)
	}
	staff, _ := h.staff(t)
	if strings.Contains(staff.get(t, "/admin/opinions/"+id).Body, "今天又有一把坏了") {
		t.Error("a refused message was written")
	}
}

var trackFileRe = regexp.MustCompile(`name="file" value="([^"]+)"`)

// Ensure staff may send a photo with a message: cleaned, kept with it, listed on /track under the
// message and downloaded there by a POST carrying the code (never in an address); only with the
// code of that opinion, and only a file staff sent. A 4th file is refused with the words kept.
func TestConversationStaffFilesForTheSubmitter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	staff, _ := h.staff(t)
	id, code := h.seed(t, storage.NewOpinion{Content: "输液室的椅子坏了好几把。"})
	_, otherCode := h.seed(t, storage.NewOpinion{Content: "病房夜里太吵，护士站不管。"})
	page := "/admin/opinions/" + id
	staff.get(t, page)
	photo := upload{fileName, "image/jpeg", testkit.GPSJPEG(t, 32, 32)}

	four := staff.postMultipart(t, page+"/messages", withToken(url.Values{"kind": {"message"},
		"body": {"椅子已经换了，照片请看附件。"}}, staff.token), []upload{photo, photo, photo, photo})
	wantStatus(t, four, http.StatusUnprocessableEntity)
	wantContains(t, four.Body, "椅子已经换了，照片请看附件。", "最多只能附 3 张照片", `id="thread-files-again"`)

	sent := staff.postMultipart(t, page+"/messages", withToken(url.Values{"kind": {"message"},
		"body": {"椅子已经换了，照片请看附件。"}}, staff.token), []upload{photo})
	wantStatus(t, sent, http.StatusSeeOther)
	if links := fileLinks(staff.get(t, page).Body); len(links) != 1 {
		t.Fatalf("%d file links on the item page, want 1", len(links))
	}

	b, tracked := trackWithCode(t, h, code)
	m := trackFileRe.FindStringSubmatch(tracked.Body)
	if m == nil {
		t.Fatalf("no download form on /track:\n%s", tracked.Body)
	}
	wantNoCodeIn(t, code, tracked)
	got := b.post(t, "/track/file", url.Values{"code": {code}, "file": {m[1]}})
	wantStatus(t, got, http.StatusOK)
	if got.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment;") ||
		got.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("served with %v", got.Header)
	}
	if !strings.HasPrefix(got.Body, "\xff\xd8") || strings.Contains(got.Body, testkit.GPSCamera) || strings.Contains(got.Body, "Exif") {
		t.Error("the served file is not a clean JPEG")
	}
	if r := b.post(t, "/track/file", url.Values{"code": {otherCode}, "file": {m[1]}}); r.Code != http.StatusNotFound {
		t.Errorf("with another opinion's code: %d, want 404", r.Code)
	}
	if r := b.post(t, "/track/file", url.Values{"code": {"X"}, "file": {m[1]}}); r.Code == http.StatusOK {
		t.Errorf("with a malformed code: %d", r.Code)
	}

	// The submitter's own photo is not given back by /track/file.
	added := b.postMultipart(t, "/track/message", withToken(url.Values{"code": {code}, "kind": {"addition"},
		"words": {"谢谢，我也拍了一张"}}, b.token), []upload{photo})
	wantStatus(t, added, http.StatusSeeOther)
	links := fileLinks(staff.get(t, page).Body)
	if len(links) != 2 {
		t.Fatalf("%d file links on the item page, want 2", len(links))
	}
	for _, link := range links {
		file := link[strings.LastIndex(link, "/")+1:]
		if file == m[1] {
			continue
		}
		if r := b.post(t, "/track/file", url.Values{"code": {code}, "file": {file}}); r.Code != http.StatusNotFound {
			t.Errorf("the submitter's own file through /track/file: %d, want 404", r.Code)
		}
	}
}
