package storage

import (
	"context"
	"errors"
	"testing"

	"minsheng/lifecycle"
	"minsheng/scrub"
)

// countFiles is how many files the database keeps.
func countFiles(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.read.QueryRow(`SELECT count(*) FROM attachments`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure a message's files are kept with it or not at all: listed under their message by Thread,
// read by staff through the opinion (audited), by the submitter only when staff sent them; and
// refused files, or a closed conversation, keep neither the message nor its files.
func TestMessageFilesKeptWithTheirMessage(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		ctx := context.Background()
		s := b.mustOpen(t)
		u := mustCreateUser(t, s, "reviewer1", "reviewer")
		id := mustCreateOpinion(t, s, NewOpinion{})
		other := mustCreateOpinion(t, s, NewOpinion{})
		photo := cleanFile(t, scrub.KindJPEG)

		if err := s.PostStaffMessageFiles(ctx, u.ID, id, MessageQuestion, "照片是这把椅子吗？", []NewAttachment{photo}); err != nil {
			t.Fatal(err)
		}
		q := questionID(t, s, id, "照片是这把椅子吗？")
		if err := s.PostSubmitterMessageFiles(ctx, id, MessageAnswer, q, "是的，还有这两把",
			[]NewAttachment{cleanFile(t, scrub.KindPNG), photo}); err != nil {
			t.Fatal(err)
		}
		thread, err := s.Thread(ctx, id)
		if err != nil || len(thread) != 2 {
			t.Fatalf("thread: %v, %v", thread, err)
		}
		staffFile, mine := thread[0].Files, thread[1].Files
		if len(staffFile) != 1 || len(mine) != 2 || staffFile[0].OpinionID != id || mine[0].MessageID != thread[1].ID {
			t.Fatalf("files by message: staff %+v, submitter %+v", staffFile, mine)
		}
		if _, data, err := s.AttachmentData(ctx, u.ID, id, mine[0].ID); err != nil || len(data) == 0 {
			t.Errorf("staff read a message file: %v", err)
		}
		if _, _, err := s.AttachmentData(ctx, u.ID, other, mine[0].ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("a message file through another opinion: %v, want ErrNotFound", err)
		}
		if _, data, err := s.StaffFileForSubmitter(ctx, id, staffFile[0].ID); err != nil || len(data) != len(photo.Data) {
			t.Errorf("the submitter reads the staff's file: %d bytes, %v", len(data), err)
		}
		for name, tc := range map[string][2]string{"own file": {id, mine[0].ID}, "another opinion": {other, staffFile[0].ID}} {
			if _, _, err := s.StaffFileForSubmitter(ctx, tc[0], tc[1]); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s for the submitter: %v, want ErrNotFound", name, err)
			}
		}

		before := countFiles(t, s)
		bad := NewAttachment{Kind: scrub.KindPNG, Data: photo.Data} // a JPEG said to be a PNG
		if err := s.PostSubmitterMessageFiles(ctx, id, MessageAddition, "", "第四张", []NewAttachment{photo, photo, photo, photo}); !errors.Is(err, ErrInvalid) {
			t.Errorf("four files: %v, want ErrInvalid", err)
		}
		if err := s.PostStaffMessageFiles(ctx, u.ID, id, MessageMessage, "错的类型", []NewAttachment{bad}); !errors.Is(err, ErrInvalid) {
			t.Errorf("a file not of its kind: %v, want ErrInvalid", err)
		}
		walkTo(t, s, id, lifecycle.Closed)
		if err := s.PostSubmitterMessageFiles(ctx, id, MessageAddition, "", "关了还发", []NewAttachment{photo}); !errors.Is(err, ErrThreadClosed) {
			t.Errorf("after 销号: %v, want ErrThreadClosed", err)
		}
		if got := threadBodies(t, s, id); len(got) != 2 || countFiles(t, s) != before {
			t.Errorf("refused messages left traces: %v, %d files (was %d)", got, countFiles(t, s), before)
		}
	})
}
