package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"minsheng/access"
	"minsheng/lifecycle"
)

// chinaDay is noon of a day (YYYY-MM-DD) in China, where the store dates things.
func chinaDay(d string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", d+" 12:00", time.FixedZone("CST", 8*3600))
	return t
}

// threadBodies is the conversation of id, its bodies in reading order.
func threadBodies(t *testing.T, s *Store, id string) []string {
	t.Helper()
	msgs, err := s.Thread(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Body
	}
	return out
}

// questionID finds the id of the staff message with body in the conversation of id.
func questionID(t *testing.T, s *Store, id, body string) string {
	t.Helper()
	msgs, err := s.Thread(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Body == body {
			return m.ID
		}
	}
	t.Fatalf("no message %q in %v", body, msgs)
	return ""
}

// Ensure a conversation reads in order without any stored order for the submitter's rows:
// staff by their sequence, each answer under its question, each addition after its day's staff
// messages.
func TestThreadOrder(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		clock := newClock(chinaDay("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		id := mustCreateOpinion(t, s, NewOpinion{Content: "药房排队太久"})
		staff := func(kind, body string) {
			t.Helper()
			if err := s.PostStaffMessage(ctx, u.ID, id, kind, body); err != nil {
				t.Fatal(err)
			}
		}
		public := func(kind, answers, body string) {
			t.Helper()
			if err := s.PostSubmitterMessage(ctx, id, kind, answers, body); err != nil {
				t.Fatal(err)
			}
		}
		public(MessageAddition, "", "补充：周一最严重") // day 1: after day 1's staff messages, whenever it came
		staff(MessageQuestion, "是哪一天？")
		clock.Set(chinaDay("2026-05-02"))
		staff(MessageMessage, "我们已联系药房")
		public(MessageAddition, "", "今天又排了一小时") // day 2: after day 2's staff messages
		public(MessageAnswer, questionID(t, s, id, "是哪一天？"), "五月一日上午")
		clock.Set(chinaDay("2026-05-03"))
		staff(MessageQuestion, "现在好些了吗？")

		want := []string{"是哪一天？", "五月一日上午", "补充：周一最严重", "我们已联系药房", "今天又排了一小时", "现在好些了吗？"}
		if got := threadBodies(t, s, id); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("thread:\n got %v\nwant %v", got, want)
		}
		msgs, _ := s.Thread(ctx, id)
		for _, m := range msgs {
			switch {
			case m.FromStaff() && (m.Author != "reviewer1" || m.Seq == 0):
				t.Errorf("staff message %+v: want its author and sequence", m)
			case !m.FromStaff() && (m.Author != "" || m.Seq != 0):
				t.Errorf("submitter message %+v carries an author or a sequence", m)
			}
		}
		// The submitter's rows: a random key, the day, no sequence; their acts in the history by day.
		if n := countRows(t, s, "opinion_messages", "side = 'submitter' AND seq IS NULL AND author_id IS NULL AND length(id) = 20"); n != 3 {
			t.Errorf("%d well-formed submitter rows, want 3", n)
		}
		if n := countRows(t, s, "public_events", "opinion_id = ? AND action IN ('answer', 'addition')", id); n != 3 {
			t.Errorf("%d public events for the submitter's messages, want 3", n)
		}
		if n := countRows(t, s, "audit_log", "opinion_id = ? AND action IN ('ask', 'message') AND user_id = ?", id, u.ID); n != 3 {
			t.Errorf("%d audit rows for the staff messages, want 3", n)
		}
	})
}

// Ensure orderThread places submitter rows that share a place by day then key, and an
// addition of a day before a later day's staff messages.
func TestOrderThreadPlaces(t *testing.T) {
	t.Parallel()
	q := Message{ID: "Q", Side: SideStaff, Kind: MessageQuestion, Seq: 1, Day: "2026-05-01", Body: "q"}
	m := Message{ID: "M", Side: SideStaff, Kind: MessageMessage, Seq: 2, Day: "2026-05-03", Body: "m"}
	a1 := Message{ID: "Z1", Side: SideSubmitter, Kind: MessageAnswer, Answers: "Q", Day: "2026-05-04", Body: "a-late"}
	a2 := Message{ID: "Y9", Side: SideSubmitter, Kind: MessageAnswer, Answers: "Q", Day: "2026-05-02", Body: "a-early"}
	d1 := Message{ID: "B", Side: SideSubmitter, Kind: MessageAddition, Day: "2026-05-02", Body: "d-b"}
	d2 := Message{ID: "A", Side: SideSubmitter, Kind: MessageAddition, Day: "2026-05-02", Body: "d-a"}
	d3 := Message{ID: "C", Side: SideSubmitter, Kind: MessageAddition, Day: "2026-05-09", Body: "d-late"}
	for _, tc := range []struct {
		name string
		in   []Message
		want string
	}{
		{"answers under the question by day", []Message{a1, m, a2, q}, "q a-early a-late m"},
		{"additions of a day by key, before later staff", []Message{d1, m, q, d2}, "q d-a d-b m"},
		{"an addition after every staff message", []Message{d3, m, q, a1}, "q a-late m d-late"},
		{"additions alone", []Message{d3, d1}, "d-b d-late"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, x := range orderThread(tc.in) {
				got = append(got, x.Body)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
}

// Ensure the conversation is refused after 销号, to staff and submitter alike, follows the work
// of the opinion a duplicate was merged into, and opens again when the work is reopened.
func TestThreadClosedAfterStrikeOff(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s := b.mustOpen(t)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		id := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.PostStaffMessage(ctx, u.ID, id, MessageQuestion, "几点钟？"); err != nil {
			t.Fatal(err)
		}
		q := questionID(t, s, id, "几点钟？")
		walkTo(t, s, id, lifecycle.Closed)
		for name, err := range map[string]error{
			"answer":   s.PostSubmitterMessage(ctx, id, MessageAnswer, q, "早上八点"),
			"addition": s.PostSubmitterMessage(ctx, id, MessageAddition, "", "还有一件事"),
			"staff":    s.PostStaffMessage(ctx, u.ID, id, MessageMessage, "已办结"),
		} {
			if !errors.Is(err, ErrThreadClosed) || !errors.Is(err, ErrConflict) {
				t.Errorf("%s after 销号: %v, want ErrThreadClosed", name, err)
			}
		}
		if got := threadBodies(t, s, id); len(got) != 1 {
			t.Errorf("the closed thread changed: %v", got)
		}
		if err := s.Transition(ctx, u.ID, id, fullStep(lifecycle.Rectifying, "")); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, id, MessageAnswer, q, "早上八点"); err != nil {
			t.Errorf("after the work was reopened: %v", err)
		}

		dup := mustCreateOpinion(t, s, NewOpinion{})
		carrier := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.Transition(ctx, u.ID, dup, fullStep(lifecycle.Duplicate, carrier)); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, dup, MessageAddition, "", "补充"); err != nil {
			t.Errorf("a duplicate whose carrier is open: %v", err)
		}
		walkTo(t, s, carrier, lifecycle.Closed)
		if err := s.PostSubmitterMessage(ctx, dup, MessageAddition, "", "再补充"); !errors.Is(err, ErrThreadClosed) {
			t.Errorf("a duplicate whose carrier is struck off: %v, want ErrThreadClosed", err)
		}
	})
}

// Ensure a submitter answers only their own opinion's questions, only with the kinds a
// submitter has, and no more than the day's bound.
func TestSubmitterMessageScope(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s := b.mustOpen(t)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		mine := mustCreateOpinion(t, s, NewOpinion{})
		other := mustCreateOpinion(t, s, NewOpinion{})
		for _, id := range []string{mine, other} {
			if err := s.PostStaffMessage(ctx, u.ID, id, MessageQuestion, "问"+id); err != nil {
				t.Fatal(err)
			}
			if err := s.PostStaffMessage(ctx, u.ID, id, MessageMessage, "告知"+id); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name          string
			kind, answers string
			want          error
		}{
			{"another opinion's question", MessageAnswer, questionID(t, s, other, "问"+other), ErrNotFound},
			{"a message, not a question", MessageAnswer, questionID(t, s, mine, "告知"+mine), ErrNotFound},
			{"an unknown question", MessageAnswer, "NOPE", ErrNotFound},
			{"an answer to nothing", MessageAnswer, "", ErrInvalid},
			{"an addition that answers", MessageAddition, questionID(t, s, mine, "问"+mine), ErrInvalid},
			{"a staff kind", MessageQuestion, "", ErrInvalid},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := s.PostSubmitterMessage(ctx, mine, tc.kind, tc.answers, "答"); !errors.Is(err, tc.want) {
					t.Errorf("got %v, want %v", err, tc.want)
				}
			})
		}
		if err := s.PostStaffMessage(ctx, u.ID, mine, MessageAnswer, "员工不能回答"); !errors.Is(err, ErrInvalid) {
			t.Errorf("staff posting an answer: %v", err)
		}
		if n := countRows(t, s, "opinion_messages", "side = 'submitter'"); n != 0 {
			t.Fatalf("%d submitter rows written by refused posts", n)
		}
		for i := 0; i < MaxSubmitterMessagesPerDay; i++ {
			if err := s.PostSubmitterMessage(ctx, mine, MessageAddition, "", "补充"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PostSubmitterMessage(ctx, mine, MessageAddition, "", "太多了"); !errors.Is(err, ErrThreadFull) {
			t.Errorf("past the day's bound: %v, want ErrThreadFull", err)
		}
		if err := s.PostSubmitterMessage(ctx, other, MessageAddition, "", "别的回执"); err != nil {
			t.Errorf("another receipt is not bound by this one's day: %v", err)
		}
	})
}

// Ensure the staff's messages are searchable with the staff text, and the submitter's words are
// not indexed in their own transaction.
func TestThreadStaffTextIndexed(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s := b.mustOpen(t)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		id := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.PostStaffMessage(ctx, u.ID, id, MessageQuestion, "请问是哪位医生接诊"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, id, MessageAddition, "", "骨科的王医生"); err != nil {
			t.Fatal(err)
		}
		var text string
		if err := s.read.QueryRow(`SELECT text FROM search_docs WHERE opinion_id = ? AND kind = 'staff'`, id).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "请问是哪位医生接诊") || strings.Contains(text, "骨科") {
			t.Errorf("staff document %q: want the staff's question and none of the submitter's words", text)
		}
	})
}

// Ensure the digest's count of a day's submitter messages goes to the staff who wrote in each
// conversation, by day, and that the act queued nothing of its own (a public-caused event).
func TestAnsweredOn(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		clock := newClock(chinaDay("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		asker := mustCreateUser(t, s, "reviewer1", "reviewer")
		other := mustCreateUser(t, s, "reviewer2", "reviewer")
		id := mustCreateOpinion(t, s, NewOpinion{})
		quiet := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.PostStaffMessage(ctx, asker.ID, id, MessageQuestion, "哪天？"); err != nil {
			t.Fatal(err)
		}
		q := questionID(t, s, id, "哪天？")
		for _, body := range []string{"周一", "也许周二"} {
			if err := s.PostSubmitterMessage(ctx, id, MessageAnswer, q, body); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PostSubmitterMessage(ctx, quiet, MessageAddition, "", "没人问我"); err != nil {
			t.Fatal(err)
		}
		clock.Set(chinaDay("2026-05-02"))
		if err := s.PostStaffMessage(ctx, other.ID, id, MessageMessage, "收到"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, id, MessageAddition, "", "谢谢"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			day  string
			want string
		}{
			{"2026-05-01", "reviewer1:2:" + id},
			{"2026-05-02", "reviewer1:1:" + id + " reviewer2:1:" + id},
			{"2026-05-03", ""},
		} {
			got, err := s.AnsweredOn(ctx, tc.day)
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, a := range got {
				name := map[int64]string{asker.ID: "reviewer1", other.ID: "reviewer2"}[a.UserID]
				parts = append(parts, name+":"+strconv.Itoa(a.Count)+":"+strings.Join(a.Opinions, ","))
			}
			if g := strings.Join(parts, " "); g != tc.want {
				t.Errorf("AnsweredOn(%s) = %q, want %q", tc.day, g, tc.want)
			}
		}
		if n := countRows(t, s, "notifications", ""); n != 0 {
			t.Errorf("%d inbox rows written by public acts; the digest derives them", n)
		}
	})
}

// Ensure the export rows carry each opinion's conversation in reading order, and SeenBy masks the
// submitter's words (not the staff's) for a viewer who may not see the numbers.
func TestExportRowsCarryTheThread(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s := b.mustOpen(t)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		talked := mustCreateOpinion(t, s, NewOpinion{})
		quiet := mustCreateOpinion(t, s, NewOpinion{})
		if err := s.PostStaffMessage(ctx, u.ID, talked, MessageQuestion, "请留个电话13900001111？"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, talked, MessageAnswer, questionID(t, s, talked, "请留个电话13900001111？"), "13812345678"); err != nil {
			t.Fatal(err)
		}
		if err := s.PostSubmitterMessage(ctx, talked, MessageAddition, "", "补充一句"); err != nil {
			t.Fatal(err)
		}
		got := map[string][]Message{}
		err := s.EachExportRow(ctx, OpinionFilter{}, func(r ExportRow) error {
			got[r.ID] = r.SeenBy(access.Viewer{Role: access.Reviewer}).Thread
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got[quiet] != nil {
			t.Errorf("an opinion without a conversation: %+v", got[quiet])
		}
		var bodies []string
		for _, m := range got[talked] {
			bodies = append(bodies, m.Body)
		}
		if want := "请留个电话13900001111？|138******78|补充一句"; strings.Join(bodies, "|") != want {
			t.Errorf("thread in the export: %q, want %q", strings.Join(bodies, "|"), want)
		}
	})
}

// Ensure the digest's public counts include the submitters' messages of a day in the viewer's
// scope, and only those.
func TestPublicCountsCountSubmitterMessages(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		clock := newClock(chinaDay("2026-05-01"))
		s := b.mustOpenClock(t, clock)
		id := mustCreateOpinion(t, s, NewOpinion{})
		report := mustCreateOpinion(t, s, NewOpinion{Type: access.ReportType})
		for _, o := range []string{id, id, report} {
			if err := s.PostSubmitterMessage(ctx, o, MessageAddition, "", "补充"); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name string
			v    access.Viewer
			day  string
			want int
		}{
			{"reviewer, that day", access.Viewer{Role: access.Reviewer}, "2026-05-01", 2},
			{"discipline sees the 举报's", access.Viewer{Role: access.Discipline}, "2026-05-01", 1},
			{"reviewer, the next day", access.Viewer{Role: access.Reviewer}, "2026-05-02", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				counts, err := s.PublicCounts(ctx, tc.v, tc.day)
				if err != nil {
					t.Fatal(err)
				}
				if got := counts[EventSubmitterAnswered]; got != tc.want {
					t.Errorf("count %d, want %d", got, tc.want)
				}
			})
		}
	})
}
