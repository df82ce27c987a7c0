// Package rowscan reads the rows of a query for tests: storage's own (package storage) and
// internal/storetest's helpers for the packages above it. Neither can hold it for the other —
// storetest imports storage, so storage's tests cannot import storetest — and storage's code
// does not import this package: its queries read rows through storage's own collect.
package rowscan

import "database/sql"

// Column reads the one column of every row into a T and closes rows. It takes what Query
// returns as it is, so that a caller writes rowscan.Column[T](db.Query(q, args...)).
func Column[T any](rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
