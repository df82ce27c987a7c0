package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"minsheng/campaign"
)

// errQueueFull is the submission queue's ErrBusy.
var errQueueFull = fmt.Errorf("too many submissions waiting: %w", ErrBusy)

// ErrClosed means the store is shutting down and takes no more submissions.
var ErrClosed = errors.New("store closed")

// Group-commit limits. A batch is whatever has queued while the previous commit was syncing,
// up to maxBatch; so under load one fsync serves many submissions, and when idle a lone
// submission commits at once, with no added wait.
const (
	queueLength = 1024
	maxBatch    = 256
)

type pending struct {
	opinion NewOpinion
	hash    []byte
	search  string // searchText of the content, folded by the caller outside the write lock
	// campaigns are every campaign, read (from the cache) by the caller outside the write
	// lock: the writer picks the one the opinion arrives in without reading anything.
	campaigns []campaign.Campaign
	done      chan created
}

type created struct {
	id  string
	err error
}

// submissions is the one writer of opinions: a queue and the goroutine that empties it.
type submissions struct {
	mu     sync.RWMutex // held for reading while sending, for writing while closing
	closed bool
	queue  chan pending
	done   chan struct{}
	// manySQL replaces the batch's one INSERT on PostgreSQL ("": insertOpinionsAtOnce): set by
	// BenchmarkWriterPostgres alone, before its first submission, to run the statement of before.
	manySQL string
}

func (s *Store) startWriter() {
	s.subs = &submissions{queue: make(chan pending, queueLength), done: make(chan struct{})}
	go s.runWriter(s.subs)
}

// CreateOpinion stores an opinion under the hash of its receipt code and returns its reference.
// When it returns nil the opinion is committed to disk (synchronous=FULL); only then may the
// receipt be shown. It waits for the commit even if ctx ends: the person's words are being
// written and are not abandoned half-way. An unknown or retired unit is ErrNotFound; a full
// queue is ErrBusy. Files that are not cleaned files of a known kind, or too many, are
// ErrInvalid (nothing is queued).
func (s *Store) CreateOpinion(ctx context.Context, n NewOpinion, receiptHash []byte) (string, error) {
	if err := checkAttachments(n.Files); err != nil {
		return "", err
	}
	if err := checkAnswers(n.Answers); err != nil {
		return "", err
	}
	if n.Token != nil && len(n.Token.Hash) != 32 {
		return "", fmt.Errorf("token hash of %d bytes: %w", len(n.Token.Hash), ErrInvalid)
	}
	// Read even if ctx has ended, as the write goes on: the person's words are not abandoned.
	all, err := s.Campaigns(context.WithoutCancel(ctx))
	if err != nil {
		// Close marks the queue closed before it closes the pools, so a read that failed on
		// a closed pool is the store shutting down (503 and a retry), not a broken portal.
		s.subs.mu.RLock()
		closed := s.subs.closed
		s.subs.mu.RUnlock()
		if closed {
			return "", ErrClosed
		}
		return "", err
	}
	p := pending{opinion: n, hash: receiptHash, search: searchText(n.Content), campaigns: all, done: make(chan created, 1)}
	s.subs.mu.RLock()
	if s.subs.closed {
		s.subs.mu.RUnlock()
		return "", ErrClosed
	}
	select {
	case s.subs.queue <- p:
		s.subs.mu.RUnlock()
	default:
		s.subs.mu.RUnlock()
		return "", errQueueFull
	}
	r := <-p.done
	return r.id, r.err
}

// runWriter commits queued submissions in batches until the queue is closed and empty.
func (s *Store) runWriter(subs *submissions) {
	defer close(subs.done)
	// One OS thread for the writer, so that its SQLite calls (cgo) stay on it and threadCPU
	// can tell the serial step's own CPU time (BenchmarkWriter's writer-cpu-µs/batch).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer func() {
		if s.insertStmt != nil {
			s.insertStmt.Close()
		}
	}()
	for first := range subs.queue {
		batch := []pending{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case p, ok := <-subs.queue:
				if !ok {
					break fill
				}
				batch = append(batch, p)
			default:
				break fill
			}
		}
		cpu := threadCPU()
		if s.insertStmt == nil {
			// Prepared once on the write pool's one connection, outside any transaction, and
			// taken into each batch's (Tx.StmtContext): a batch no longer compiles the INSERT
			// (3 % of the portal's CPU under wrk, #11). Should it fail, each batch prepares
			// its own as before.
			s.insertStmt, _ = s.write.PrepareContext(context.Background(), insertOpinionSQL)
		}
		s.commitBatch(batch)
		s.writerCPU.Add(int64(threadCPU() - cpu))
		s.writerBatches.Add(1)
	}
}

// commitBatch writes a batch in one transaction with one prepared statement. One bad
// submission (a retired unit) fails alone while the rest commit. Results are sent only after
// the commit.
func (s *Store) commitBatch(batch []pending) {
	results := make([]created, len(batch))
	err := s.writeTx(context.Background(), func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		// The batch is the public's submissions (and staff transcriptions, audited below with
		// the staff member's time): the opinions themselves keep the day alone.
		// Their ids begin with the day's code, worked out once for the batch (opinion_id.go).
		day := publicDay(now)
		ins, err := newOpinionInserter(ctx, tx, day, idDayCode(s.idKey, day), s.drv.insertNeedsSavepoint(), s.insertStmt)
		if err != nil {
			return err
		}
		defer ins.close()
		ins.manySQL = s.subs.manySQL
		// The rows are inserted on a context without cancellation: go-sqlite3 runs a statement
		// whose context can end on a goroutine of its own, so that it can interrupt it; one
		// per row was a goroutine start and two channel handoffs per submission on the one
		// serial path (#11). The transaction's deadline still holds: database/sql rolls it back.
		rowCtx := context.WithoutCancel(ctx)
		todo := make([]int, 0, len(batch)) // the submissions still to insert, by index
		// Their captchas, spent here rather than in commits of their own: a submission is one
		// write (#11). Spent before (a replay, or the same answer sent twice at once): refused.
		fresh, err := s.spendTokens(rowCtx, tx, batch)
		if err != nil {
			return err
		}
		for i, p := range batch {
			if !fresh[i] {
				results[i] = created{err: ErrTokenSpent}
				continue
			}
			// A comment on a draft (a plan or a report): only while it is open for comment, checked
			// in this transaction.
			if perr := draftTakesComments(rowCtx, tx, p.opinion, publicDay(now)); perr != nil {
				results[i] = created{err: perr}
				continue
			}
			todo = append(todo, i)
		}
		// On PostgreSQL the plain submissions go in with one statement (opinion_batch.go); what
		// it did not store, and every other submission, takes the per-row path below.
		var stored map[int]string
		if s.drv.insertsOpinionsAtOnce() {
			var many []atOnce
			for _, i := range todo {
				if p := batch[i]; plainSubmission(p.opinion) {
					many = append(many, atOnce{index: i, opinion: p.opinion, hash: p.hash, search: p.search, campaignID: arrivedIn(p, ins.day)})
				}
			}
			if len(many) > 0 {
				if stored, err = ins.insertMany(rowCtx, many); err != nil {
					return err
				}
				s.rowsAtOnce.Add(int64(len(stored)))
			}
		}
		for _, i := range todo {
			p := batch[i]
			id, done := stored[i]
			var err error
			if !done {
				id, err = ins.insert(rowCtx, p.opinion, p.hash, p.search, arrivedIn(p, ins.day))
			}
			if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) && !isConstraint(err) {
				return err // not this submission's fault: fail the batch, nobody is told "saved"
			}
			// A transcribed item is audited with the opinion it created, in this transaction:
			// the staff member typed it, so linking them to it reveals no submitter.
			if n := p.opinion; err == nil && n.TranscribedBy != 0 {
				if aerr := audit(ctx, tx, now, n.TranscribedBy, "transcribe", id, n.Channel+" "+n.ReceivedOn); aerr != nil {
					return aerr
				}
			}
			// Its files, in the same transaction: the person is told "saved" for all or nothing.
			if err == nil && len(p.opinion.Files) > 0 {
				if ferr := insertAttachments(ctx, tx, publicDay(now), id, p.opinion.Files); ferr != nil {
					return ferr
				}
			}
			if err == nil {
				if lerr := linkDraftComment(ctx, tx, p.opinion, id); lerr != nil {
					return lerr
				}
			}
			if err == nil && p.opinion.MonitorID != 0 { // a citizen supervisor's, to follow (monitor.go)
				if lerr := linkMonitor(ctx, tx, p.opinion.MonitorID, id); lerr != nil {
					return lerr
				}
			}
			// The answers to the campaign's questions, in the same transaction.
			if err == nil && len(p.opinion.Answers) > 0 {
				if aerr := insertAnswers(ctx, tx, id, p.opinion.Answers); aerr != nil {
					return aerr
				}
			}
			results[i] = created{id: id, err: err}
		}
		return nil
	})
	for i, p := range batch {
		if err != nil {
			p.done <- created{err: fmt.Errorf("commit submissions: %w", err)}
			continue
		}
		p.done <- results[i]
	}
}

// stopWriter refuses new submissions, commits those already queued and waits for the writer.
func (s *Store) stopWriter() {
	s.subs.mu.Lock()
	if !s.subs.closed {
		s.subs.closed = true
		close(s.subs.queue)
	}
	s.subs.mu.Unlock()
	<-s.subs.done
}

// arrivedIn returns the campaign p's opinion arrives in (0: none): the campaign whose questions
// it answers, if that runs on the day for its unit, else the one running on the day it arrived
// for its unit (campaign.For); for an item staff transcribe, the day it was received.
func arrivedIn(p pending, today string) int64 {
	day := today
	if p.opinion.ReceivedOn != "" {
		day = p.opinion.ReceivedOn
	}
	for _, c := range p.campaigns {
		if c.ID == p.opinion.AnsweredCampaign && c.Running(day) && c.Covers(p.opinion.UnitCode) {
			return c.ID
		}
	}
	if c, ok := campaign.For(p.campaigns, day, p.opinion.UnitCode); ok {
		return c.ID
	}
	return 0
}

// WriterWork is the CPU time the writer's thread has spent in batches so far, and their number:
// for benchmarks through the handlers, which tell the serial step from the rest with it.
func (s *Store) WriterWork() (time.Duration, int64) {
	return time.Duration(s.writerCPU.Load()), s.writerBatches.Load()
}
