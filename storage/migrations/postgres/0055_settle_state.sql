-- PostgreSQL twin of SQLite's 0055: the day-end settle's state (settle_postgres.go).
CREATE TABLE settle_state (
    id              BIGINT PRIMARY KEY CHECK (id = 1),
    settled_through TEXT NOT NULL DEFAULT '',
    to_cluster      TEXT NOT NULL DEFAULT '',
    settle_xid      TEXT NOT NULL DEFAULT ''
);
INSERT INTO settle_state (id) VALUES (1);
