-- PostgreSQL twin of SQLite's 0058: what one learning from the office's grouping decisions
-- found for the near-duplicate model (#11).
CREATE TABLE near_adjustment (
    id              BIGINT PRIMARY KEY CHECK (id = 1),
    shift_milli     BIGINT NOT NULL CHECK (shift_milli BETWEEN -1500 AND 1500),
    same_pairs      BIGINT NOT NULL CHECK (same_pairs >= 0),
    different_pairs BIGINT NOT NULL CHECK (different_pairs >= 0),
    learned_at      TEXT NOT NULL
);
