package storage

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// The WAL's checkpoints, off the writer's serial path (#11). SQLite's automatic checkpoint runs
// on the connection whose COMMIT took the WAL past its threshold: the one writer, so every
// few thousand submissions one batch also copied ~10 000 pages into the database file and
// synced it while every other submission waited. Here the writer's connection checkpoints
// never (wal_autocheckpoint=0: afterMigrate) and a goroutine on a connection of its own does,
// on the second core:
//
//   - PASSIVE, at most once per checkpointEvery while commits come: it copies what no reader
//     still needs and takes no lock that the writer waits for (a writer may append meanwhile);
//     SQLite starts the WAL again from its beginning at the writer's next commit once all of it
//     is copied and no reader is behind.
//   - RESTART when the WAL holds more than walCapPages after that (a long read kept PASSIVE from
//     finishing): the WAL stays bounded. It waits for readers for checkpointBusy at most, as the
//     writer may then wait that long for it; failing, it tries again at the next round.
//   - TRUNCATE once the portal is idle (no commit for checkpointIdle): the -wal file goes back
//     to zero bytes, as SQLite's own last checkpoint at close does.
//
// Durability is unchanged: an acknowledgement still follows the writer's COMMIT, synced with
// synchronous=FULL; a checkpoint only copies pages that are already in the synced WAL, and a
// crash in the middle of one is recovered from the WAL. PostgreSQL has its own checkpointer.
const (
	checkpointEvery = time.Second
	checkpointIdle  = 2 * time.Second
	checkpointBusy  = 200 * time.Millisecond
	walCapPages     = 50_000 // about 200 MB
)

type checkpointer struct {
	db    *sql.DB // one read-write connection of its own
	kicks chan struct{}
	stop  chan struct{}
	done  chan struct{}

	closing sync.Once
	mu      sync.Mutex
	held    bool // a benchmark counts the WAL's frames (HoldCheckpoints): no checkpoints
}

// startCheckpointer opens the checkpointer's connection to the SQLite file at path and starts it.
func startCheckpointer(path string) (*checkpointer, error) {
	db, err := sql.Open("sqlite3", dsn(path, false, checkpointBusy))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	c := &checkpointer{db: db, kicks: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

// kick tells the checkpointer that a commit added to the WAL; it never blocks the writer.
func (c *checkpointer) kick() {
	if c == nil {
		return
	}
	select {
	case c.kicks <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	idle := time.NewTimer(checkpointIdle)
	defer idle.Stop()
	var last time.Time
	dirty := false // commits since the last TRUNCATE
	for {
		select {
		case <-c.stop:
			return
		case <-c.kicks:
			dirty = true
			idle.Reset(checkpointIdle)
			if wait := checkpointEvery - time.Since(last); wait > 0 {
				select { // let the WAL gather a second's pages: each is copied once however often it changed
				case <-time.After(wait):
				case <-c.stop:
					return
				}
			}
			last = time.Now()
			if log := c.checkpoint("PASSIVE"); log > walCapPages {
				c.checkpoint("RESTART")
			}
		case <-idle.C:
			if dirty && c.checkpoint("TRUNCATE") >= 0 {
				dirty = false
			} else if dirty { // a reader held the WAL, or the benchmark holds checkpoints: again later
				idle.Reset(checkpointIdle)
			}
		}
	}
}

// checkpoint runs one checkpoint of mode and returns the WAL's frames as SQLite reports them
// after it, or -1 when it could not run (busy: the next round tries again) or is held.
func (c *checkpointer) checkpoint(mode string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held {
		return -1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var busy, log, copied int
	if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(`+mode+`)`).Scan(&busy, &log, &copied); err != nil || busy != 0 {
		return -1
	}
	return log
}

// hold stops checkpoints (true) or lets them run again.
func (c *checkpointer) hold(on bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.held = on
	c.mu.Unlock()
}

// close stops the checkpointer and closes its connection; SQLite's last connection to close
// (the writer's, after it) checkpoints whatever is left and removes the WAL.
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	var err error
	c.closing.Do(func() {
		close(c.stop)
		<-c.done
		err = c.db.Close()
	})
	return err
}
