package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"minsheng/lifecycle"
)

// The conversation around an opinion (migration 0030): staff ask its submitter a question or
// tell them something; the submitter, holding the receipt code, answers a question or adds to
// their opinion. Every message is visible to the submitter (internal notes are opinion_notes).
// A submitter's words are stored as written, like the opinion's own text, and masked where they
// are shown (access.Viewer.PublicText), so that those who may see the numbers still can.
//
// Attachments (#13, another part) hang off a message by its id: a table keyed by message id,
// written in the same transaction as PostStaffMessage or PostSubmitterMessage.

// The sides of a conversation and the kinds of message.
const (
	SideStaff     = "staff"
	SideSubmitter = "submitter"

	MessageQuestion = "question" // staff ask; the submitter may answer it
	MessageMessage  = "message"  // staff tell the submitter something
	MessageAnswer   = "answer"   // the submitter answers a question
	MessageAddition = "addition" // the submitter adds information to their opinion
)

// MaxMessageLength is the longest message, in characters (the CHECK of migration 0030).
const MaxMessageLength = 5000

// MaxSubmitterMessagesPerDay is how many messages one receipt may write in a day. The receipt
// code is a secret of 100 random bits, so a stranger cannot write at all (no captcha is asked);
// this bounds what the holder of one code can pour into a thread.
const MaxSubmitterMessagesPerDay = 10

var (
	// ErrThreadClosed: the opinion's work is struck off (销号); the conversation is over.
	ErrThreadClosed = fmt.Errorf("the conversation is closed: %w", ErrConflict)
	// ErrThreadFull: the receipt wrote MaxSubmitterMessagesPerDay messages today.
	ErrThreadFull = fmt.Errorf("enough messages for today: %w", ErrConflict)
)

// Message is one message of a conversation.
type Message struct {
	ID        string
	OpinionID string
	Side      string // SideStaff or SideSubmitter
	Kind      string // MessageQuestion, MessageMessage, MessageAnswer, MessageAddition
	Author    string // the staff member's user name; "" for the submitter
	Body      string
	Day       string       // YYYY-MM-DD: all that is kept of when it was written
	Seq       int          // a staff message's place among the staff messages; 0 for the submitter's
	Answers   string       // an answer: the id of the question it answers
	Files     []Attachment // the files kept with it (without their bytes)
}

// FromStaff reports whether staff wrote m.
func (m Message) FromStaff() bool { return m.Side == SideStaff }

// ThreadOpen reports whether a conversation whose work is in status may still be written to:
// until the work is struck off (销号). A duplicate follows the opinion it was merged into.
func ThreadOpen(status string) bool { return status != lifecycle.Closed }

// Thread returns the conversation of opinion id in the order it is read (orderThread).
func (s *Store) Thread(ctx context.Context, id string) ([]Message, error) {
	msgs, err := collect(ctx, s.read, scanMessage, `SELECT m.id, m.opinion_id, m.side, m.kind,
		COALESCE(u.username, ''), m.body, m.day, COALESCE(m.seq, 0), COALESCE(m.answers, '')
		FROM opinion_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.opinion_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("thread of %s: %w", id, err)
	}
	files, err := collect(ctx, s.read, scanMessageFile, `SELECT a.id, m.opinion_id, a.kind, a.size, a.created_on, a.message_id
		FROM attachments a JOIN opinion_messages m ON m.id = a.message_id WHERE m.opinion_id = ? ORDER BY a.id`, id)
	if err != nil {
		return nil, fmt.Errorf("files of the thread of %s: %w", id, err)
	}
	byMessage := map[string][]Attachment{}
	for _, a := range files {
		byMessage[a.MessageID] = append(byMessage[a.MessageID], a)
	}
	for i := range msgs {
		msgs[i].Files = byMessage[msgs[i].ID]
	}
	return orderThread(msgs), nil
}

func scanMessage(rows *sql.Rows) (Message, error) {
	var m Message
	err := rows.Scan(&m.ID, &m.OpinionID, &m.Side, &m.Kind, &m.Author, &m.Body, &m.Day, &m.Seq, &m.Answers)
	return m, err
}

// orderThread puts a conversation in reading order without any stored order of arrival for
// the submitter's rows: staff messages by seq; each answer right after the question it answers;
// each addition after the staff messages of its day (and their answers), before those of later
// days. Submitter rows that share a place follow their day, then their random id.
func orderThread(msgs []Message) []Message {
	var staff, additions []Message
	answers := map[string][]Message{}
	for _, m := range msgs {
		switch {
		case m.FromStaff():
			staff = append(staff, m)
		case m.Kind == MessageAnswer:
			answers[m.Answers] = append(answers[m.Answers], m)
		default:
			additions = append(additions, m)
		}
	}
	sort.Slice(staff, func(i, j int) bool { return staff[i].Seq < staff[j].Seq })
	byDay := func(list []Message) {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Day != list[j].Day {
				return list[i].Day < list[j].Day
			}
			return list[i].ID < list[j].ID
		})
	}
	byDay(additions)
	out := make([]Message, 0, len(msgs))
	for _, m := range staff {
		for len(additions) > 0 && additions[0].Day < m.Day {
			out, additions = append(out, additions[0]), additions[1:]
		}
		out = append(out, m)
		byDay(answers[m.ID])
		out = append(out, answers[m.ID]...)
	}
	return append(out, additions...)
}

// PostStaffMessage adds a question or a message from staff member userID to the conversation
// of opinion id, audited in the same transaction. ErrThreadClosed after 销号.
func (s *Store) PostStaffMessage(ctx context.Context, userID int64, id, kind, body string) error {
	return s.PostStaffMessageFiles(ctx, userID, id, kind, body, nil)
}

// PostStaffMessageFiles is PostStaffMessage with files (already cleaned by scrub) for the
// submitter, kept with the message in the same transaction. ErrInvalid for files that are too
// many, too large or not of their kind.
func (s *Store) PostStaffMessageFiles(ctx context.Context, userID int64, id, kind, body string, files []NewAttachment) error {
	if err := checkAttachments(files); err != nil {
		return err
	}
	if kind != MessageQuestion && kind != MessageMessage {
		return fmt.Errorf("staff message kind %q: %w", kind, ErrInvalid)
	}
	body = strings.TrimSpace(body)
	return s.writeTx(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		if err := threadWritable(ctx, tx, id); err != nil {
			return err
		}
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(seq), 0) + 1 FROM opinion_messages WHERE opinion_id = ?`,
			id).Scan(&seq); err != nil {
			return err
		}
		msgID := newMessageID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO opinion_messages (id, opinion_id, side, author_id, kind, body, day, seq)
			VALUES (?, ?, 'staff', ?, ?, ?, ?, ?)`, msgID, id, userID, kind, body, now.Format(dateLayout), seq); err != nil {
			return fmt.Errorf("message on %s: %w", id, mapError(err))
		}
		if err := insertMessageAttachments(ctx, tx, now.Format(dateLayout), msgID, files); err != nil {
			return err
		}
		if err := writeStaffDoc(ctx, tx, id); err != nil {
			return err
		}
		action := "message"
		if kind == MessageQuestion {
			action = "ask"
		}
		return audit(ctx, tx, now, userID, action, id, "")
	})
}

// PostSubmitterMessage adds the submitter's answer to question answers (kind MessageAnswer) or
// an addition to their opinion (MessageAddition, answers ""), with its day alone, and records it
// in the opinion's history as a public act. An answer tells the staff (the daily digest).
// ErrThreadClosed after 销号, ErrThreadFull past the day's bound, ErrNotFound for a question
// that is not one of this opinion's.
func (s *Store) PostSubmitterMessage(ctx context.Context, id, kind, answers, body string) error {
	return s.PostSubmitterMessageFiles(ctx, id, kind, answers, body, nil)
}

// PostSubmitterMessageFiles is PostSubmitterMessage with photos (already cleaned by scrub),
// kept with the message in the same transaction, or neither. ErrInvalid for files that are
// too many, too large or not of their kind (checkAttachments).
func (s *Store) PostSubmitterMessageFiles(ctx context.Context, id, kind, answers, body string, files []NewAttachment) error {
	if err := checkAttachments(files); err != nil {
		return err
	}
	switch {
	case kind == MessageAnswer && answers != "":
	case kind == MessageAddition && answers == "":
	default:
		return fmt.Errorf("submitter message kind %q: %w", kind, ErrInvalid)
	}
	body = strings.TrimSpace(body)
	return s.publicWriteTx(ctx, func(ctx context.Context, tx *sql.Tx, day string) error {
		if err := threadWritable(ctx, tx, id); err != nil {
			return err
		}
		if kind == MessageAnswer {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM opinion_messages
				WHERE id = ? AND opinion_id = ? AND kind = 'question'`, answers, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("question %s of %s: %w", answers, id, ErrNotFound)
			}
		}
		var today int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM opinion_messages
			WHERE opinion_id = ? AND side = 'submitter' AND day = ?`, id, day).Scan(&today); err != nil {
			return err
		}
		if today >= MaxSubmitterMessagesPerDay {
			return ErrThreadFull
		}
		msgID := newMessageID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO opinion_messages (id, opinion_id, side, kind, body, day, answers)
			VALUES (?, ?, 'submitter', ?, ?, ?, ?)`, msgID, id, kind, body, day, nullString(answers)); err != nil {
			return fmt.Errorf("message on %s: %w", id, mapError(err))
		}
		if err := insertMessageAttachments(ctx, tx, day, msgID, files); err != nil {
			return err
		}
		if err := s.notifyAnswered(ctx, tx, day, id); err != nil {
			return err
		}
		return recordPublic(ctx, tx, day, kind, id, "")
	})
}

// threadWritable checks inside tx that opinion id exists and its work is not struck off: its
// own status, or that of the opinion it was merged into.
func threadWritable(ctx context.Context, tx *sql.Tx, id string) error {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(c.status, o.status) FROM opinions o
		LEFT JOIN opinions c ON c.id = o.merged_into WHERE o.id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("opinion %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if !ThreadOpen(status) {
		return ErrThreadClosed
	}
	return nil
}

// newMessageID is a random key of 20 characters (100 bits), like public_events'.
func newMessageID() string { return newOpinionID() + newOpinionID() }
