package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

var unreadRe = regexp.MustCompile(`id="unread-count"[^>]*>(\d+)<`)

// unread is the count beside 消息 in the staff menu ("" when there is none).
func unread(body string) string {
	if m := unreadRe.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// A liaison sees work handed to the unit in the inbox and as a count on every staff page,
// marks it read, and sees today's public-caused events counted, never listed.
func TestInboxOfALiaison(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.staffAs(t, access.Liaison)
	if n := unread(b.get(t, "/admin/queue").Body); n != "" {
		t.Fatalf("unread count before any work: %q", n)
	}
	content := "药房窗口的张医生态度恶劣，电话13800000000"
	id, _ := h.seed(t, storage.NewOpinion{Type: "complaint", Content: content})
	h.walkTo(t, 0, id, lifecycle.Assigned)
	other, _ := h.seed(t, storage.NewOpinion{Type: "complaint"})
	h.walkTo(t, 0, other, lifecycle.Assigned)
	for _, page := range []string{"/admin/queue", "/admin/profile", "/admin/ledgers"} {
		if n := unread(b.get(t, page).Body); n != "2" {
			t.Errorf("%s: unread count %q, want 2", page, n)
		}
	}
	r := b.getCSRF(t, "/admin/inbox")
	for _, want := range []string{`href="/admin/opinions/` + id + `"`, "交办给我单位", "2030-01-01"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("inbox lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "张医生") || strings.Contains(r.Body, "13800000000") {
		t.Error("the inbox shows the opinion's words")
	}
	var lineID string
	for _, n := range mustInbox(t, h, "测评-liaison") {
		if n.OpinionID == id {
			lineID = n.ID
		}
	}
	if r := b.post(t, "/admin/inbox/read", url.Values{"id": {lineID}}); r.Code != http.StatusSeeOther {
		t.Fatalf("mark read: %d", r.Code)
	}
	if n := unread(b.get(t, "/admin/queue").Body); n != "1" {
		t.Errorf("after one read: unread %q, want 1", n)
	}
	// Someone else's line, or one that does not exist, is not found.
	if r := b.post(t, "/admin/inbox/read", url.Values{"id": {"nope"}}); r.Code != http.StatusNotFound {
		t.Errorf("mark an unknown line read: %d, want 404", r.Code)
	}
	b.getCSRF(t, "/admin/inbox")
	if r := b.post(t, "/admin/inbox/read", nil); r.Code != http.StatusSeeOther {
		t.Fatalf("mark all read: %d", r.Code)
	}
	if n := unread(b.get(t, "/admin/queue").Body); n != "" {
		t.Errorf("after all read: unread %q", n)
	}
}

// A reviewer's inbox counts today's new opinions (public-caused) without listing them.
func TestInboxCountsTodaysPublicEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b, _ := h.staff(t)
	h.seed(t, storage.NewOpinion{Type: "complaint", Content: "挂号排队太久了"})
	h.seed(t, storage.NewOpinion{Type: "report", Content: "收受红包的举报"})
	r := b.get(t, "/admin/inbox")
	counts := r.Body[strings.Index(r.Body, `id="inbox-counts"`):]
	counts = counts[:strings.Index(counts, "</ul>")]
	if !strings.Contains(counts, "新意见: 1") || strings.Contains(counts, "举报") {
		t.Errorf("today's counts = %q, want one new opinion and no 举报 for a reviewer", counts)
	}
	if strings.Contains(r.Body, "挂号排队") {
		t.Error("the inbox lists a public opinion's words")
	}
}

func mustInbox(t *testing.T, h *harness, username string) []storage.Notice {
	t.Helper()
	users, err := h.store.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == username {
			list, err := h.store.Inbox(t.Context(), u.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
	}
	t.Fatalf("no user %s", username)
	return nil
}

// A hot spot (预警) in the inbox links to the unit's dashboard of the month its figures count,
// and says up to which day they count instead of a deadline.
func TestInboxHotSpotLine(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.staffAs(t, access.Liaison)
	users, err := h.store.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, u := range users {
		if u.Username == "测评-liaison" {
			id = u.ID
		}
	}
	if n, err := h.store.QueueHotSpots(t.Context(), []storage.HotSpotNotice{{UserID: id, Unit: "county-hospital", Key: "k", Through: "2026-03-31"}}); err != nil || n != 1 {
		t.Fatalf("QueueHotSpots = %d, %v", n, err)
	}
	r := b.get(t, "/admin/inbox")
	for _, want := range []string{`href="/admin/dashboard/county-hospital?month=2026-03"`, "新预警", "统计截至 2026-03-31"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("inbox lacks %q", want)
		}
	}
}
