package handlers_test

import (
	"context"
	"html"
	"testing"

	"minsheng/access"
	"minsheng/lifecycle"
	"minsheng/storage"
)

// TestCarrierShowsMergedThreads: what the submitters of opinions merged into a carrier (重复)
// added in their own conversations is on the carrier's page, linked to their opinions, and
// counted on the problem's page; a reader who may not open a merged opinion reads nothing of
// it there.
func TestCarrierShowsMergedThreads(t *testing.T) {
	f := newProblemFixture(t)
	ctx := context.Background()
	b, u := f.h.staff(t)
	f.h.walkTo(t, u.ID, f.first, lifecycle.Assigned) // the carrier, handed to county-hospital
	pid, err := f.h.store.Group(ctx, u.ID, f.second, f.first, "挂号窗口太少")
	if err != nil {
		t.Fatal(err)
	}
	third, _ := f.h.seed(t, storage.NewOpinion{UnitCode: "bureau", Content: "挂号要排很久"})
	if err := f.h.store.Join(ctx, u.ID, third, pid); err != nil {
		t.Fatal(err)
	}
	added := map[string]string{f.second: "昨天又排了三个小时才挂上号", third: "周末也一样要排很久"}
	for id, words := range added {
		if err := f.h.store.PostSubmitterMessage(ctx, id, storage.MessageAddition, "", words); err != nil {
			t.Fatal(err)
		}
	}
	carrier := "/admin/opinions/" + f.first
	cases := []struct {
		name     string
		reader   *browser
		page     string
		want     []string
		wantNone []string
	}{
		{"the office reads both on the carrier's page", b, carrier,
			[]string{`id="merged-threads"`, added[f.second], added[third], `href="/admin/opinions/` + f.second + `#conversation"`,
				`href="/admin/opinions/` + third + `#conversation"`}, nil},
		{"a merged opinion's own page lists no others", b, "/admin/opinions/" + f.second,
			[]string{added[f.second]}, []string{`id="merged-threads"`, added[third]}},
		{"the problem's page counts them", b, "/admin/problems/" + pid,
			[]string{`<a href="/admin/opinions/` + f.second + `#conversation" class="member-messages">1 条</a>`,
				`<a href="/admin/opinions/` + third + `#conversation" class="member-messages">1 条</a>`}, nil},
		{"the liaison, who opens the carrier alone, reads none of it", f.h.staffAs(t, access.Liaison), carrier,
			nil, []string{`id="merged-threads"`, added[f.second], added[third]}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.reader.get(t, c.page)
			wantStatus(t, r, 200)
			body := html.UnescapeString(r.Body)
			wantContains(t, body, c.want...)
			wantNotContains(t, body, c.wantNone...)
		})
	}
}
