-- PostgreSQL twin of SQLite's 0058: what one learning from the office's grouping decisions
-- found for the near-duplicate model (#11).
CREATE TABLE near_adjustment (
    id              BIGINT PRIMARY KEY CHECK (id = 1),
    shift_milli     BIGINT NOT NULL CHECK (shift_milli BETWEEN -1500 AND 1500),
    same_pairs      BIGINT NOT NULL CHECK (same_pairs >= 0),
    different_pairs BIGINT NOT NULL CHECK (different_pairs >= 0),
    learned_at      TEXT NOT NULL
);

-- The look-up leaves out the opinions taken out of the asked opinion's problem (移出问题, the
-- audit log's problem_leave rows by the problem's id): found by this small partial index, not by
-- walking every problem_leave row at each look-up.
CREATE INDEX audit_log_problem_leaves ON audit_log (detail) WHERE action = 'problem_leave';
