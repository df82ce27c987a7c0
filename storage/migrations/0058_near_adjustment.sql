-- The office's own grouping decisions as labels for the near-duplicate model (#11): what one
-- learning from them found (storage/near_learn.go, nearby/office.go). One row: the shift of the
-- pair model's log-odds in thousandths (bounded by nearby.MaxShift), and how many of the office's
-- pairs it was fitted on (same: an opinion and its problem's carrier; different: an opinion
-- taken out of a problem, 移出问题, and that problem's carrier). No text and no opinion id is
-- kept here: the pairs are read afresh from problems and the audit log at each learning.
CREATE TABLE near_adjustment (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    shift_milli     INTEGER NOT NULL CHECK (shift_milli BETWEEN -1500 AND 1500),
    same_pairs      INTEGER NOT NULL CHECK (same_pairs >= 0),
    different_pairs INTEGER NOT NULL CHECK (different_pairs >= 0),
    learned_at      TEXT NOT NULL
);

-- The look-up leaves out the opinions taken out of the asked opinion's problem (移出问题, the
-- audit log's problem_leave rows by the problem's id): found by this small partial index, not by
-- walking every problem_leave row at each look-up.
CREATE INDEX audit_log_problem_leaves ON audit_log (detail) WHERE action = 'problem_leave';
