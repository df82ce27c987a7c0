package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"testing"
	"time"

	"minsheng/scrub"
)

// cleanFile returns a small picture of the kind ("jpeg" or "png"), cleaned as handlers do.
func cleanFile(t *testing.T, kind string) NewAttachment {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 24, 12))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	var err error
	if kind == scrub.KindPNG {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	data, k, err := scrub.Clean(b.Bytes())
	if err != nil || k != kind {
		t.Fatalf("Clean: %q, %v", k, err)
	}
	return NewAttachment{Kind: k, Data: data}
}

func TestAttachmentsKeptWithTheOpinion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		files := []NewAttachment{cleanFile(t, scrub.KindJPEG), cleanFile(t, scrub.KindPNG)}
		id := mustCreateOpinion(t, s, NewOpinion{Files: files})
		other := mustCreateOpinion(t, s, NewOpinion{})
		reader := mustCreateUser(t, s, "reviewer1", "reviewer").ID

		got, err := s.Attachments(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d attachments, want 2", len(got))
		}
		kinds := map[string]NewAttachment{}
		for _, f := range files {
			kinds[f.Kind] = f
		}
		for _, a := range got {
			want, ok := kinds[a.Kind]
			if !ok || a.Size != int64(len(want.Data)) || a.OpinionID != id || a.CreatedOn != "2026-04-01" || len(a.ID) != 20 {
				t.Errorf("attachment %+v; want kind of %v, size %d, day 2026-04-01", a, files, len(want.Data))
			}
			meta, data, err := s.AttachmentData(ctx, reader, id, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, want.Data) || meta.Kind != a.Kind {
				t.Errorf("%s: the bytes read differ from those kept", a.ID)
			}
			if _, _, err := s.AttachmentData(ctx, reader, other, a.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("read through another opinion: %v, want ErrNotFound", err)
			}
		}
		if none, err := s.Attachments(ctx, other); err != nil || len(none) != 0 {
			t.Errorf("the other opinion has %d attachments (%v)", len(none), err)
		}
		if _, _, err := s.AttachmentData(ctx, reader, id, "00000000000000000000"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown file: %v, want ErrNotFound", err)
		}
		var reads int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'attachment_read'
		AND user_id = ? AND opinion_id = ?`, reader, id).Scan(&reads); err != nil {
			t.Fatal(err)
		}
		if reads != 2 {
			t.Errorf("%d reads audited, want 2 (the refused ones are not)", reads)
		}
		if _, err := s.read.ExecContext(ctx, `SELECT rowid FROM attachments`); err == nil {
			t.Error("attachments has a rowid: an order of arrival")
		}
	})
}

func TestAttachmentsRefused(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		j := cleanFile(t, scrub.KindJPEG)
		cases := []struct {
			name  string
			files []NewAttachment
		}{
			{"four files", []NewAttachment{j, j, j, j}},
			{"empty", []NewAttachment{{Kind: scrub.KindJPEG}}},
			{"over 10 MB", []NewAttachment{{Kind: scrub.KindJPEG, Data: append(append([]byte{}, j.Data...), make([]byte, MaxAttachmentBytes)...)}}},
			{"kind not its bytes", []NewAttachment{{Kind: scrub.KindPNG, Data: j.Data}}},
			{"unknown kind", []NewAttachment{{Kind: "gif", Data: []byte("GIF89a")}}},
			{"a PDF named a picture", []NewAttachment{{Kind: scrub.KindJPEG, Data: []byte("%PDF-1.4")}}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before, _ := s.CountOpinions(ctx)
				_, err := s.CreateOpinion(ctx, NewOpinion{Type: "complaint", UnitCode: "county-hospital", Submitter: "patient",
					Content: "挂号排队两个小时", Files: c.files}, newReceiptHash(t))
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
				if after, _ := s.CountOpinions(ctx); after != before {
					t.Errorf("%d opinions after a refusal, %d before", after, before)
				}
			})
		}
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM attachments`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d attachments kept after refusals (%v)", n, err)
		}
		// Three is allowed.
		id := mustCreateOpinion(t, s, NewOpinion{Files: []NewAttachment{j, j, j}})
		if got, err := s.Attachments(ctx, id); err != nil || len(got) != 3 {
			t.Errorf("three files: %d kept (%v)", len(got), err)
		}
	})
}

// A backup (VACUUM INTO) carries the files, and a restore brings them back byte for byte.
// SQLite only: VACUUM INTO; PostgreSQL's copies are pg_dump's (TestPostgresBackupAndRestoreRefused).
func TestBackupCarriesAttachments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openAt(t, filepath.Join(dir, "live.db"), fixedClock)
	ctx := context.Background()
	f := cleanFile(t, scrub.KindJPEG)
	id := mustCreateOpinion(t, s, NewOpinion{Files: []NewAttachment{f}})
	backup := filepath.Join(dir, "backups", "b.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(dir, "restored.db")
	if _, err := Restore(ctx, backup, restored, time.Now()); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, restored, fixedClock)
	list, err := r.Attachments(ctx, id)
	if err != nil || len(list) != 1 {
		t.Fatalf("restored: %d attachments (%v)", len(list), err)
	}
	_, data, err := r.AttachmentData(ctx, mustCreateUser(t, r, "admin1", "admin").ID, id, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, f.Data) {
		t.Error("the restored file differs from the one kept")
	}
}

// A conversation's message may own files (its table comes with 0030): exactly one owner each.
func TestMessageAttachments(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		s := b.mustOpen(t)
		ctx := context.Background()
		f := cleanFile(t, scrub.KindPNG)
		err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			return insertMessageAttachments(ctx, tx, publicDay(now), "MSG0000001", []NewAttachment{f})
		})
		if err != nil {
			t.Fatal(err)
		}
		var opinion sql.NullString
		var size int
		if err := s.read.QueryRowContext(ctx, `SELECT opinion_id, size FROM attachments WHERE message_id = 'MSG0000001'`).
			Scan(&opinion, &size); err != nil {
			t.Fatal(err)
		}
		if opinion.Valid || size != len(f.Data) {
			t.Errorf("message file: opinion %v, size %d", opinion, size)
		}
		id := mustCreateOpinion(t, s, NewOpinion{})
		for name, owners := range map[string][2]string{"both": {id, "MSG0000002"}, "neither": {"", ""}} {
			err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
				return insertFiles(ctx, tx, publicDay(now), owners[0], owners[1], []NewAttachment{f})
			})
			if err == nil {
				t.Errorf("a file with %s owners was kept", name)
			}
		}
	})
}
