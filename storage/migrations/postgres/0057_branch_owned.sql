-- PostgreSQL twin of SQLite's 0057: the unit an audit entry concerns, the branch of a survey
-- and of a democratic evaluation (#15), the same columns, CHECKs and index.
ALTER TABLE audit_log ADD COLUMN unit_code TEXT CHECK (length(unit_code) <= 64);
CREATE INDEX audit_log_by_unit ON audit_log (unit_code, id);
ALTER TABLE surveys ADD COLUMN branch TEXT NOT NULL DEFAULT '' CHECK (length(branch) <= 64);
ALTER TABLE evaluations ADD COLUMN branch TEXT NOT NULL DEFAULT '' CHECK (length(branch) <= 64);
