-- Saved queue filters: a staff member keeps the filters they use often under a name of their
-- own. The query is the url-encoded filter the queue itself builds (status, style, unit, type,
-- month), re-read through the queue's own checks when it is shown. Nothing here is about an
-- opinion, and nobody else sees someone's saved filters.
CREATE TABLE saved_filters (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 30),
    query      TEXT NOT NULL DEFAULT '' CHECK (length(query) <= 500),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);
