-- The first schema of minsheng. No table has a column for an IP address, a user agent, a device
-- or an exact submission time: an opinion knows only the date it arrived.

CREATE TABLE units (
    code        TEXT PRIMARY KEY CHECK (code GLOB '[a-z0-9-]*' AND length(code) BETWEEN 1 AND 40),
    name        TEXT NOT NULL UNIQUE,
    parent_code TEXT REFERENCES units(code),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE opinions (
    id           TEXT PRIMARY KEY,                 -- random reference, never sequential
    receipt_hash BLOB NOT NULL UNIQUE,             -- HMAC of the receipt code; the code is never stored
    type         TEXT NOT NULL CHECK (type IN ('opinion', 'suggestion', 'complaint', 'report', 'praise')),
    unit_code    TEXT NOT NULL REFERENCES units(code),
    dept         TEXT NOT NULL DEFAULT '',
    submitter    TEXT NOT NULL CHECK (submitter IN ('patient', 'family', 'staff', 'public', 'other')),
    content      TEXT NOT NULL,
    contact      TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'received'
                 CHECK (status IN ('received', 'triaged', 'processing', 'replied', 'closed', 'rejected')),
    reply        TEXT NOT NULL DEFAULT '',
    replied_on   TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD of the latest reply
    created_on   TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
-- The queue reads newest day first; within a day the random id gives an order that says nothing
-- about who came first.
CREATE INDEX opinions_by_day ON opinions (created_on DESC, id);
CREATE INDEX opinions_by_status ON opinions (status, created_on DESC, id);
CREATE INDEX opinions_by_unit ON opinions (unit_code, created_on DESC, id);

CREATE TABLE opinion_styles (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    style      TEXT NOT NULL CHECK (style IN ('formalism', 'bureaucratism', 'hedonism', 'extravagance')),
    PRIMARY KEY (opinion_id, style)
) WITHOUT ROWID;
CREATE INDEX opinion_styles_by_style ON opinion_styles (style, opinion_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer')),
    created_at    TEXT NOT NULL
);

-- Internal notes are for staff only and are never shown on /track.
CREATE TABLE opinion_notes (
    id         INTEGER PRIMARY KEY,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES users(id),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX opinion_notes_by_opinion ON opinion_notes (opinion_id, id);

-- Staff sessions: the cookie holds id.secret; only a hash of the secret is kept.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    secret_hash BLOB NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- One-time links that let the first administrator set a password.
CREATE TABLE setup_tokens (
    token_hash BLOB PRIMARY KEY,
    created_at TEXT NOT NULL
);

-- Every staff change, written in the same transaction as the change itself.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users(id),
    action     TEXT NOT NULL,
    opinion_id TEXT REFERENCES opinions(id) ON DELETE SET NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX audit_log_by_opinion ON audit_log (opinion_id, id);
