package storage

// ScanSearch is f searched with instr() over every row, as before the full-text index: the
// benchmarks measure the index against it.
func ScanSearch(f OpinionFilter) OpinionFilter {
	f.scan = true
	return f
}

// ForgetSearches empties s's cache of planned searches, so that each measured queue view plans
// its search as a person's first view does.
func ForgetSearches(s *Store) {
	s.plans.mu.Lock()
	s.plans.plans = nil
	s.plans.mu.Unlock()
}
