package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"minsheng/scrub"
)

// Attachment limits (#13): up to MaxAttachments files per opinion (or message), each at most
// MaxAttachmentBytes once cleaned.
const (
	MaxAttachments     = 3
	MaxAttachmentBytes = scrub.MaxBytes
)

// NewAttachment is a file to keep with an opinion: already cleaned by scrub.Clean (the caller
// does it before the write, outside the transaction), with the kind Clean named. It has no
// name: none is kept.
type NewAttachment struct {
	Kind string
	Data []byte
}

// Attachment describes a kept file (its bytes are read with AttachmentData).
type Attachment struct {
	ID        string
	OpinionID string // for a message's file, the opinion of its conversation
	MessageID string // "" for a file of the opinion itself
	Kind      string // scrub.KindJPEG, KindPNG or KindPDF
	Size      int64
	CreatedOn string // the day alone
}

// checkAttachments refuses (ErrInvalid) more than MaxAttachments files, an empty or too large
// one, or one whose bytes are not of its kind: only cleaned files of a known kind are kept.
func checkAttachments(files []NewAttachment) error {
	if len(files) > MaxAttachments {
		return fmt.Errorf("%d attachments, at most %d: %w", len(files), MaxAttachments, ErrInvalid)
	}
	for i, f := range files {
		if len(f.Data) == 0 || len(f.Data) > MaxAttachmentBytes {
			return fmt.Errorf("attachment %d: %d bytes: %w", i, len(f.Data), ErrInvalid)
		}
		if scrub.ContentType(f.Kind) == "" || scrub.Sniff(f.Data) != f.Kind {
			return fmt.Errorf("attachment %d: not a %q file: %w", i, f.Kind, ErrInvalid)
		}
	}
	return nil
}

// insertAttachments keeps files with the opinion opinionID in tx, with the day alone.
func insertAttachments(ctx context.Context, tx *sql.Tx, day, opinionID string, files []NewAttachment) error {
	return insertFiles(ctx, tx, day, opinionID, "", files)
}

// insertMessageAttachments keeps files with the message messageID of an opinion's conversation
// (for the conversation's own writes: checkAttachments first, outside the transaction).
func insertMessageAttachments(ctx context.Context, tx *sql.Tx, day, messageID string, files []NewAttachment) error {
	return insertFiles(ctx, tx, day, "", messageID, files)
}

// insertFiles keeps files with one owner, an opinion or a message ("" for the other).
func insertFiles(ctx context.Context, tx *sql.Tx, day, opinionID, messageID string, files []NewAttachment) error {
	for _, f := range files {
		for attempt := 0; ; attempt++ {
			_, err := tx.ExecContext(ctx,
				`INSERT INTO attachments (id, opinion_id, message_id, kind, size, data, created_on) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				newAttachmentID(), nullString(opinionID), nullString(messageID), f.Kind, len(f.Data), f.Data, day)
			if err == nil {
				break
			}
			if attempt == 3 || !errors.Is(mapError(err), ErrConflict) {
				return fmt.Errorf("insert attachment: %w", err)
			}
		}
	}
	return nil
}

// newAttachmentID returns 20 Crockford base-32 characters (100 random bits): a file's address
// cannot be guessed, nor does it follow any order.
func newAttachmentID() string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b [20]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return string(b[:])
}

// Attachments lists the files of an opinion (without their bytes), in the order of their
// random ids.
func (s *Store) Attachments(ctx context.Context, opinionID string) ([]Attachment, error) {
	return collect(ctx, s.read, scanAttachment,
		`SELECT id, opinion_id, kind, size, created_on FROM attachments WHERE opinion_id = ? ORDER BY id`, opinionID)
}

func scanAttachment(rows *sql.Rows) (Attachment, error) {
	var a Attachment
	err := rows.Scan(&a.ID, &a.OpinionID, &a.Kind, &a.Size, &a.CreatedOn)
	return a, err
}

func scanMessageFile(rows *sql.Rows) (Attachment, error) {
	var a Attachment
	err := rows.Scan(&a.ID, &a.OpinionID, &a.Kind, &a.Size, &a.CreatedOn, &a.MessageID)
	return a, err
}

// AttachmentData returns the file id of the opinion opinionID with its bytes, for the staff
// member userID who may open the opinion (the caller checks): one of the opinion's own, or of a
// message of its conversation. It records the reading in the
// audit log in the same transaction. A file of another opinion, or none, is ErrNotFound.
func (s *Store) AttachmentData(ctx context.Context, userID int64, opinionID, id string) (Attachment, []byte, error) {
	var a Attachment
	var data []byte
	err := s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		err := tx.QueryRowContext(ctx,
			`SELECT a.id, COALESCE(a.opinion_id, m.opinion_id), a.kind, a.size, a.created_on, a.data
			FROM attachments a LEFT JOIN opinion_messages m ON m.id = a.message_id
			WHERE a.id = ? AND COALESCE(a.opinion_id, m.opinion_id) = ?`,
			id, opinionID).Scan(&a.ID, &a.OpinionID, &a.Kind, &a.Size, &a.CreatedOn, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("attachment %s of %s: %w", id, opinionID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, userID, "attachment_read", opinionID, id)
	})
	if err != nil {
		return Attachment{}, nil, err
	}
	return a, data, nil
}

// StaffFileForSubmitter returns the file id of a staff message in the conversation of opinion
// opinionID, with its bytes, for the holder of that opinion's receipt code (the caller found the
// opinion by it). The submitter's own files and the opinion's are not given back (the code
// alone opens /track). Nothing about the reading is recorded: it is a public act.
// ErrNotFound for any other file.
func (s *Store) StaffFileForSubmitter(ctx context.Context, opinionID, id string) (Attachment, []byte, error) {
	var a Attachment
	var data []byte
	err := s.read.QueryRowContext(ctx, `SELECT a.id, m.opinion_id, a.message_id, a.kind, a.size, a.created_on, a.data
		FROM attachments a JOIN opinion_messages m ON m.id = a.message_id
		WHERE a.id = ? AND m.opinion_id = ? AND m.side = 'staff'`, id, opinionID).
		Scan(&a.ID, &a.OpinionID, &a.MessageID, &a.Kind, &a.Size, &a.CreatedOn, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return Attachment{}, nil, fmt.Errorf("staff file %s of %s: %w", id, opinionID, ErrNotFound)
	}
	if err != nil {
		return Attachment{}, nil, err
	}
	return a, data, nil
}
