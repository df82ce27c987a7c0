-- Telling staff (#13). Only staff acts and the server's own sweeps write here: an event caused
-- by the public (a new opinion, a 举报, a 不满意 rating, the submitter's answer) is never stored
-- per item; the daily digest and the inbox count derive it from the data by its DAY. So these
-- tables may carry times. Keys are random all the same, and the tables have no rowid.

-- One line in a person's in-portal inbox. What it says is the kind, the unit, the deadline and
-- a link to the opinion: never the opinion's words, contact or subject.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,                  -- random
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    opinion_id TEXT NOT NULL DEFAULT '',
    unit_code  TEXT NOT NULL DEFAULT '',
    deadline   TEXT NOT NULL DEFAULT '' CHECK (deadline = '' OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at TEXT NOT NULL,
    read_at    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at = '';

-- A reminder the sweep has queued already (deadline_soon:OPINION:DEADLINE, …): each once.
CREATE TABLE notify_keys (
    key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 120),
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- The outbox: one message to send by e-mail (to a person) or to a unit's group robot. Written
-- in the transaction of the act that caused it; the sender claims a row with a lease, sends,
-- then marks it. counts holds a digest's figures (JSON kind → number), '' otherwise.
CREATE TABLE notify_outbox (
    id           TEXT PRIMARY KEY,                -- random
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    user_id      INTEGER REFERENCES users(id) ON DELETE CASCADE,   -- e-mail: to whom
    unit_code    TEXT NOT NULL DEFAULT '',                          -- webhook: whose robot
    kind         TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    opinion_id   TEXT NOT NULL DEFAULT '',
    event_unit   TEXT NOT NULL DEFAULT '',
    deadline     TEXT NOT NULL DEFAULT '',
    counts       TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_try_at  TEXT NOT NULL,
    lease_until  TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 300),
    created_at   TEXT NOT NULL,
    sent_at      TEXT NOT NULL DEFAULT '',
    CHECK ((channel = 'email') = (user_id IS NOT NULL)),
    CHECK ((channel = 'webhook') = (unit_code != ''))
) WITHOUT ROWID;
CREATE INDEX notify_outbox_due ON notify_outbox (state, next_try_at);

-- Which events reach a person by which channel. A missing row falls back to the role's
-- default, then to the built-in one (the inbox only).
CREATE TABLE notify_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    channel TEXT NOT NULL CHECK (channel IN ('inbox', 'email', 'webhook')),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (user_id, kind, channel)
) WITHOUT ROWID;
CREATE TABLE notify_role_defaults (
    role    TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 20),
    kind    TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    channel TEXT NOT NULL CHECK (channel IN ('inbox', 'email', 'webhook')),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (role, kind, channel)
) WITHOUT ROWID;

-- A person's address for mail, and the hourly digest (at most one mail an hour).
CREATE TABLE notify_people (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email        TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 200),
    hourly       INTEGER NOT NULL DEFAULT 0 CHECK (hourly IN (0, 1)),
    last_mail_at TEXT NOT NULL DEFAULT ''
);

-- A unit's group robot (WeCom or DingTalk). The DingTalk signing secret is sealed with a key
-- derived from the server's key file, as the SMTP password is: a copy of the database alone
-- does not give them away.
CREATE TABLE unit_webhooks (
    unit_code     TEXT PRIMARY KEY REFERENCES units(code) ON DELETE CASCADE,
    url           TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 500),
    format        TEXT NOT NULL CHECK (format IN ('wecom', 'dingtalk')),
    secret_sealed BLOB
) WITHOUT ROWID;

-- The SMTP server the admin configures; one row.
CREATE TABLE smtp_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    host            TEXT NOT NULL DEFAULT '' CHECK (length(host) <= 200),
    port            INTEGER NOT NULL DEFAULT 587 CHECK (port BETWEEN 1 AND 65535),
    tls_mode        TEXT NOT NULL DEFAULT 'starttls' CHECK (tls_mode IN ('starttls', 'implicit', 'none')),
    sender          TEXT NOT NULL DEFAULT '' CHECK (length(sender) <= 200),   -- the From: mailbox
    username        TEXT NOT NULL DEFAULT '' CHECK (length(username) <= 200),
    password_sealed BLOB
);

-- The last day the public-event digest went out (one row per day; the sweep's idempotence).
CREATE TABLE notify_digest_days (
    day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) WITHOUT ROWID;
