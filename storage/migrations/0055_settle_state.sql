-- The day-end settle (#15, settle.go): how far the public rows have been rewritten so that the
-- database keeps no order of arrival. SQLite's tables keep none to begin with (WITHOUT ROWID,
-- stored in key order, dates only), so on SQLite this row is never written; the table exists
-- on both engines so that the schemas stay twins.
--   settled_through: every day up to and including it is settled ('' = none yet);
--   to_cluster:      tables rewritten by the last settle whose files still hold the old row
--                    versions, one name per line ('' = none);
--   settle_xid:      the last settle's transaction (PostgreSQL's xid8, as text; '' = none yet):
--                    rows written after it are what the next settle rewrites.
CREATE TABLE settle_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    settled_through TEXT NOT NULL DEFAULT '',
    to_cluster      TEXT NOT NULL DEFAULT '',
    settle_xid      TEXT NOT NULL DEFAULT ''
);
INSERT INTO settle_state (id) VALUES (1);
