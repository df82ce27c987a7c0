package loadgen

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"time"

	"minsheng/storage" // also registers the "sqlite3" driver used below
)

// RawCommitRate is the baseline the portal's write path is measured against: n opinions
// inserted with plain SQL into a new database at path with the portal's own schema (same
// table, same indexes), one transaction and so one synchronous=FULL commit each, on one
// connection, as fast as it goes. It returns the rate in transactions per second. What one
// fsync per submission allows on this disk: the portal, batching many submissions per commit,
// should acknowledge more than this over HTTP.
func RawCommitRate(ctx context.Context, path string, n int) (float64, error) {
	s, err := storage.Open(ctx, path, storage.Options{}) // creates the schema, then closes
	if err != nil {
		return 0, err
	}
	if err := s.Close(); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite3", "file:"+path+
		"?_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	hash := make([]byte, 32)
	id := make([]byte, 8)
	start := time.Now()
	for i := 0; i < n; i++ {
		// Random keys, as the portal's: sequential ones would make the baseline cheaper than
		// the work it stands for.
		_, _ = rand.Read(hash)
		_, _ = rand.Read(id)
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO opinions (id, receipt_hash, type, unit_code, dept, submitter, content, contact, created_on, search_text)
			VALUES (?, ?, 'suggestion', 'county-hospital', '门诊', 'patient', ?, '', '2026-11-23', ?)`,
			fmt.Sprintf("%X", id), hash, "压力测试留言：门诊排队太久，希望增加窗口。", "压力测试留言:门诊排队太久,希望增加窗口。"); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
