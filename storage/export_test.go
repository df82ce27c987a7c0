package storage

// ScanSearch is f searched with instr() over every row, as before the full-text index: the
// benchmarks measure the index against it.
func ScanSearch(f OpinionFilter) OpinionFilter {
	f.scan = true
	return f
}
