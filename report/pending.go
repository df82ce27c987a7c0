package report

import (
	"context"
	"errors"

	"minsheng/stats"
	"minsheng/storage"
)

// errPending: drafting waits for stats.Compare (branch i12-stats); this file goes when it
// lands (compare becomes stats.Compare).
var errPending = errors.New("report: drafting waits for stats.Compare")

var compare = func(context.Context, *storage.Store, stats.Query) (*stats.Comparison, error) { return nil, errPending }

