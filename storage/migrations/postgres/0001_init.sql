-- PostgreSQL twin of SQLite migrations 0001–0040: the schema those migrations leave, in one
-- file. No PostgreSQL database was ever made at an older schema, so PostgreSQL starts here;
-- 0002…0040 exist under the same numbers and names (each says it is folded into this one), so
-- that the migration records of both backends read alike and the newer-schema refusal works the
-- same way. From 0041 on, every SQLite migration gets a PostgreSQL twin doing the same change.
--
-- Translation rules (the meaning is the same; the spelling is PostgreSQL's):
--   INTEGER → BIGINT (SQLite integers are 64-bit); INTEGER PRIMARY KEY → an identity column;
--   BLOB → BYTEA; WITHOUT ROWID dropped (PostgreSQL tables have no rowid to hide);
--   GLOB patterns → anchored regular expressions; COLLATE NOCASE → CITEXT;
--   TEXT stays TEXT: SQLite compares text byte by byte (BINARY), and the shared SQL's orders,
--   ranges and keyset pages rely on it, so Open refuses a database whose collation is not C
--   (driver_postgres.go; createdb --locale=C --encoding=UTF8 --template=template0);
--   RAISE(ABORT) triggers → a PL/pgSQL function raising the same message;
--   the FTS4 tables of the search index become a plain table of the same documents: the
--   PostgreSQL full-text index is still to come (see search_index below).
-- Tables are ordered so that each is created after the tables it refers to.

CREATE EXTENSION IF NOT EXISTS citext;

-- SQLite's instr(haystack, needle): position of needle, 0 when absent.
CREATE FUNCTION instr(text, text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT strpos($1, $2)';

-- SQLite's group_concat(x) and group_concat(x, separator).
CREATE FUNCTION group_concat_step(acc text, x text, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT CASE WHEN x IS NULL THEN acc WHEN acc IS NULL THEN x ELSE acc || sep || x END';
CREATE FUNCTION group_concat_step(acc text, x text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT group_concat_step(acc, x, '','')';
CREATE AGGREGATE group_concat(text) (SFUNC = group_concat_step, STYPE = text);
CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_step, STYPE = text);

-- SQLite's NOCASE collation, for ORDER BY username COLLATE NOCASE: ICU's comparison at
-- secondary strength ignores case (and, unlike NOCASE, not only for ASCII letters).
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- SQLite's scalar min(a, b) and max(a, b) (NULL if either is NULL, as there).
CREATE FUNCTION min(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT LEAST($1, $2)';
CREATE FUNCTION max(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT GREATEST($1, $2)';

-- The append-only and frozen tables refuse changes with SQLite's words.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;

CREATE TABLE units (
    code        TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40 AND code !~ '[^a-z0-9-]'),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    parent_code TEXT REFERENCES units(code),
    kind        TEXT NOT NULL DEFAULT 'county'
                CHECK (kind IN ('bureau', 'section', 'county', 'township', 'community', 'village', 'private', 'dept')),
    sort_order  BIGINT NOT NULL DEFAULT 0,
    active      BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK (kind != 'dept' OR parent_code IS NOT NULL)
);

CREATE TABLE opinions (
    id               TEXT PRIMARY KEY,
    receipt_hash     BYTEA NOT NULL UNIQUE,
    type             TEXT NOT NULL CHECK (type IN ('opinion', 'suggestion', 'complaint', 'report', 'praise')),
    unit_code        TEXT NOT NULL REFERENCES units(code),
    dept             TEXT NOT NULL DEFAULT '',
    submitter        TEXT NOT NULL CHECK (submitter IN ('patient', 'family', 'staff', 'public', 'other')),
    content          TEXT NOT NULL,
    contact          TEXT NOT NULL DEFAULT '',
    about_leadership BIGINT NOT NULL DEFAULT 0 CHECK (about_leadership IN (0, 1)),
    status           TEXT NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'triaged', 'assigned', 'rectifying', 'reported', 'lookback',
                                       'satisfaction', 'closed', 'rejected', 'duplicate', 'forwarded')),
    merged_into      TEXT REFERENCES opinions(id),
    reply            TEXT NOT NULL DEFAULT '',
    replied_on       TEXT NOT NULL DEFAULT '',
    created_on       TEXT NOT NULL CHECK (created_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    channel          TEXT NOT NULL DEFAULT 'web'
                     CHECK (channel IN ('web', 'qr', 'kiosk', 'box', 'letter', 'phone', 'sms', 'forum', 'visit',
                                        'questionnaire', 'evaluation')),
    received_on      TEXT NOT NULL DEFAULT ''
                     CHECK (received_on = '' OR received_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    site             TEXT NOT NULL DEFAULT '' CHECK (length(site) <= 50),
    mailbox_code     TEXT NOT NULL DEFAULT '' CHECK (length(mailbox_code) <= 40),
    site_code        TEXT NOT NULL DEFAULT '' CHECK (length(site_code) <= 12),
    search_text      TEXT NOT NULL DEFAULT '', nature TEXT NOT NULL DEFAULT '' CHECK (nature IN ('', 'conduct', 'work')), reach TEXT NOT NULL DEFAULT '' CHECK (reach IN ('', 'common', 'individual')), campaign_id BIGINT NOT NULL DEFAULT 0,
    CHECK ((status = 'duplicate') = (merged_into IS NOT NULL))
);

CREATE TABLE opinion_styles (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    style      TEXT NOT NULL CHECK (style IN ('formalism', 'bureaucratism', 'hedonism', 'extravagance')),
    PRIMARY KEY (opinion_id, style)
);

CREATE TABLE users (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    username      CITEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'liaison', 'leader', 'supervisor', 'discipline')),
    unit_code     TEXT REFERENCES units(code),
    created_at    TEXT NOT NULL, disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)), lang TEXT NOT NULL DEFAULT '' CHECK (length(lang) <= 16),
    CHECK ((role = 'liaison') = (unit_code IS NOT NULL))
);

CREATE TABLE opinion_notes (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    author_id  BIGINT NOT NULL REFERENCES users(id),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    secret_hash BYTEA NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
, last_seen_at TEXT NOT NULL DEFAULT '');

CREATE TABLE setup_tokens (
    token_hash BYTEA PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id    BIGINT REFERENCES users(id),
    action     TEXT NOT NULL,
    opinion_id TEXT REFERENCES opinions(id) ON DELETE SET NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE rectifications (
    opinion_id     TEXT PRIMARY KEY REFERENCES opinions(id) ON DELETE CASCADE,
    level          TEXT NOT NULL DEFAULT '' CHECK (level IN ('', 'individual', 'department', 'leadership', 'combined')),
    lead_unit      TEXT REFERENCES units(code),
    responsible    TEXT NOT NULL DEFAULT '',
    measures       TEXT NOT NULL DEFAULT '',
    ledger         TEXT NOT NULL DEFAULT '' CHECK (ledger IN ('', 'problem', 'special', 'system')),
    deadline       TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD
    kind           TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'immediate', 'timed', 'planned', 'referred')),
    explanation    TEXT NOT NULL DEFAULT '',    -- for the public, required for 列入计划
    report         TEXT NOT NULL DEFAULT '',    -- the unit's account of what was done
    note           TEXT NOT NULL DEFAULT '',    -- latest reason: failed look-back, reopening, referral
    closed_on      TEXT NOT NULL DEFAULT '',
    published      BIGINT NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),     -- 已公示
    accountability BIGINT NOT NULL DEFAULT 0 CHECK (accountability IN (0, 1)), -- 追责
    unfounded      BIGINT NOT NULL DEFAULT 0 CHECK (unfounded IN (0, 1)),      -- 查无实据
    substantiated  BIGINT NOT NULL DEFAULT 0 CHECK (substantiated IN (0, 1))   -- 举报属实
, visit_round BIGINT NOT NULL DEFAULT 0, checked TEXT NOT NULL DEFAULT ''
    CHECK (checked IN ('', 'verified', 'unverified', 'passed', 'failed')), post TEXT NOT NULL DEFAULT '' CHECK (length(post) <= 50), publish_name BIGINT NOT NULL DEFAULT 0 CHECK (publish_name IN (0, 1)));

CREATE TABLE user_units (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_code TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (user_id, unit_code)
);

CREATE TABLE calendar_overrides (
    day  TEXT PRIMARY KEY CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    work BIGINT NOT NULL CHECK (work IN (0, 1)),
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE publications (
    opinion_id   TEXT PRIMARY KEY REFERENCES opinions(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    result       TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL
);

CREATE TABLE saved_filters (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 30),
    query      TEXT NOT NULL DEFAULT '' CHECK (length(query) <= 500),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE surveys (
    id                BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    title             TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 100),
    starts_on         TEXT NOT NULL CHECK (starts_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    ends_on           TEXT NOT NULL CHECK (ends_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    -- three: 满意 / 基本满意 / 不满意 stored as 3 / 2 / 1; five: a 1–5 scale.
    scale             TEXT NOT NULL CHECK (scale IN ('three', 'five')),
    free_text         TEXT NOT NULL DEFAULT '' CHECK (length(free_text) <= 100), -- '' = no free-text item
    item_threshold    BIGINT NOT NULL DEFAULT 85 CHECK (item_threshold BETWEEN 0 AND 100),
    overall_threshold BIGINT NOT NULL DEFAULT 90 CHECK (overall_threshold BETWEEN 0 AND 100),
    created_by        BIGINT REFERENCES users(id),
    created_at        TEXT NOT NULL, campaign_id BIGINT NOT NULL DEFAULT 0,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE survey_units (
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    unit_code TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (survey_id, unit_code)
);

CREATE TABLE survey_items (
    id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    text      TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 100),
    UNIQUE (survey_id, position),
    UNIQUE (survey_id, id)
);

CREATE TABLE survey_responses (
    id          TEXT PRIMARY KEY,               -- random, never sequential
    survey_id   BIGINT NOT NULL,
    unit_code   TEXT NOT NULL,
    dept        TEXT NOT NULL DEFAULT '' CHECK (length(dept) <= 50),
    answered_on TEXT NOT NULL CHECK (answered_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    comment     TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    UNIQUE (survey_id, id),
    -- only a unit the survey covers
    FOREIGN KEY (survey_id, unit_code) REFERENCES survey_units(survey_id, unit_code)
);

CREATE TABLE survey_answers (
    response_id TEXT NOT NULL,
    survey_id   BIGINT NOT NULL,
    item_id     BIGINT NOT NULL,
    value       BIGINT NOT NULL CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (response_id, item_id),
    FOREIGN KEY (survey_id, response_id) REFERENCES survey_responses(survey_id, id) ON DELETE CASCADE,
    FOREIGN KEY (survey_id, item_id) REFERENCES survey_items(survey_id, id)
);

CREATE TABLE mailboxes (
    code         TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40 AND code !~ '[^a-z0-9-]'),
    name         TEXT NOT NULL UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 30),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    readers_note TEXT NOT NULL DEFAULT '' CHECK (length(readers_note) <= 100),
    unit_code    TEXT REFERENCES units(code), -- the unit it belongs to; NULL for the bureau's own
    discipline   BIGINT NOT NULL DEFAULT 0 CHECK (discipline IN (0, 1)),
    active       BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort_order   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE mailbox_reader_roles (
    mailbox_code TEXT NOT NULL REFERENCES mailboxes(code) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'liaison', 'leader', 'supervisor', 'discipline')),
    PRIMARY KEY (mailbox_code, role)
);

CREATE TABLE mailbox_reader_users (
    mailbox_code TEXT NOT NULL REFERENCES mailboxes(code) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (mailbox_code, user_id)
);

CREATE TABLE sites (
    code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 4 AND 12 AND code !~ '[^0-9A-Z]'),
    name       TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 50), -- 门诊大厅意见箱
    building   TEXT NOT NULL DEFAULT '' CHECK (length(building) <= 30),
    floor      TEXT NOT NULL DEFAULT '' CHECK (length(floor) <= 10),
    ward       TEXT NOT NULL DEFAULT '' CHECK (length(ward) <= 30),
    unit_code  TEXT NOT NULL REFERENCES units(code),
    dept       TEXT NOT NULL DEFAULT '' CHECK (length(dept) <= 50),
    active     BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_on TEXT NOT NULL
);

CREATE TABLE evaluations (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    title      TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 60),
    meeting    TEXT NOT NULL DEFAULT '' CHECK (length(meeting) <= 60),
    unit_code  TEXT NOT NULL REFERENCES units(code), -- whose leadership group is evaluated
    opens_on   TEXT NOT NULL CHECK (opens_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    closes_on  TEXT NOT NULL CHECK (closes_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    created_by BIGINT REFERENCES users(id),
    created_on TEXT NOT NULL CHECK (created_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    closed     BIGINT NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)), campaign_id BIGINT NOT NULL DEFAULT 0, -- closed early by the administrator
    CHECK (closes_on >= opens_on)
);

CREATE TABLE evaluation_codes (
    code_hash     BYTEA PRIMARY KEY CHECK (length(code_hash) = 32),
    evaluation_id BIGINT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    used          BIGINT NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
);

CREATE TABLE evaluation_answers (
    id            TEXT PRIMARY KEY, -- random, never sequential
    evaluation_id BIGINT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    overall       TEXT NOT NULL CHECK (overall IN ('good', 'fair', 'average', 'poor')),
    suggestions   TEXT NOT NULL DEFAULT '' CHECK (length(suggestions) <= 2000),
    created_on    TEXT NOT NULL CHECK (created_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
);

CREATE TABLE evaluation_answer_problems (
    answer_id     TEXT NOT NULL REFERENCES evaluation_answers(id) ON DELETE CASCADE,
    manifestation TEXT NOT NULL CHECK (length(manifestation) BETWEEN 1 AND 40),
    PRIMARY KEY (answer_id, manifestation)
);

CREATE TABLE evaluation_answer_others (
    answer_id TEXT NOT NULL REFERENCES evaluation_answers(id) ON DELETE CASCADE,
    style     TEXT NOT NULL CHECK (style IN ('formalism', 'bureaucratism', 'hedonism', 'extravagance')),
    text      TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 200),
    PRIMARY KEY (answer_id, style)
);

CREATE TABLE public_events (
    id         TEXT PRIMARY KEY,                 -- random, never sequential
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    action     TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 30),
    detail     TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 200),
    day        TEXT NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
);

CREATE TABLE login_throttle (
    name_hash BYTEA PRIMARY KEY,
    failures  BIGINT NOT NULL CHECK (failures > 0),
    last_at   TEXT NOT NULL
);

CREATE TABLE ratings (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    round      BIGINT NOT NULL CHECK (round >= 1),
    rating     TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically', 'dissatisfied')),
    words      TEXT NOT NULL DEFAULT '',
    rated_on   TEXT NOT NULL CHECK (rated_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    PRIMARY KEY (opinion_id, round)
);

CREATE TABLE tags (
    code       TEXT PRIMARY KEY CHECK (code ~ '^[a-z]' AND code !~ '[^a-z0-9_-]' AND length(code) <= 40),
    kind       TEXT NOT NULL CHECK (kind IN ('manifestation', 'family')),
    style      TEXT CHECK (style IN ('formalism', 'bureaucratism', 'hedonism', 'extravagance')),
    label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
    label_en   TEXT NOT NULL DEFAULT '' CHECK (length(label_en) <= 120),
    keywords   TEXT NOT NULL DEFAULT '' CHECK (length(keywords) <= 2000), -- one per line, Simplified
    position   BIGINT NOT NULL,
    retired_on TEXT CHECK (retired_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    CHECK ((kind = 'manifestation') = (style IS NOT NULL))
);

CREATE TABLE opinion_tags (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL REFERENCES tags(code),
    PRIMARY KEY (opinion_id, tag)
);

CREATE TABLE suggest_models (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at TEXT NOT NULL,
    model      BYTEA NOT NULL,
    info       TEXT NOT NULL, -- JSON: suggest.Info
    active     BIGINT NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);

CREATE TABLE search_docs (
    docid      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('opinion', 'staff')),
    text       TEXT NOT NULL DEFAULT '',
    UNIQUE (opinion_id, kind)
);

CREATE TABLE search_terms (
    term TEXT PRIMARY KEY,
    docs BIGINT NOT NULL CHECK (docs > 0)
);

CREATE TABLE search_state (
    id              BIGINT PRIMARY KEY CHECK (id = 1),
    indexed_through TEXT NOT NULL DEFAULT '',
    docs            BIGINT NOT NULL DEFAULT 0,
    staff_built     BIGINT NOT NULL DEFAULT 0 CHECK (staff_built IN (0, 1)),
    rebuild         BIGINT NOT NULL DEFAULT 0 CHECK (rebuild IN (0, 1))
);

CREATE TABLE problems (
    id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 8 AND 20),
    carrier    TEXT NOT NULL UNIQUE REFERENCES opinions(id),
    title      TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 60),
    created_on TEXT NOT NULL CHECK (created_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
);

CREATE TABLE issued_reports (
    number     TEXT PRIMARY KEY CHECK (number ~ '^[0-9]{4}-[0-9]{3}'),
    year       BIGINT NOT NULL,
    seq        BIGINT NOT NULL CHECK (seq > 0),
    kind       TEXT NOT NULL,
    period     TEXT NOT NULL,             -- as period.Period.String spells it: 2026-12, 2026-Q4…
    unit       TEXT NOT NULL DEFAULT '',  -- '' is the whole system
    discipline BIGINT NOT NULL DEFAULT 0 CHECK (discipline IN (0, 1)), -- 纪检's version, with 举报
    title      TEXT NOT NULL,
    body       BYTEA NOT NULL,             -- the frozen canonical JSON, byte for byte
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    issued_on  TEXT NOT NULL CHECK (issued_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    issued_by  TEXT NOT NULL,             -- username, kept as text: the archive outlives accounts
    replaces   TEXT REFERENCES issued_reports(number),
    UNIQUE (year, seq)
);

CREATE TABLE report_drafts (
    kind       TEXT NOT NULL,
    period     TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    discipline BIGINT NOT NULL DEFAULT 0 CHECK (discipline IN (0, 1)),
    body       BYTEA NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    PRIMARY KEY (kind, period, unit, discipline)
);

CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,                  -- random
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    opinion_id TEXT NOT NULL DEFAULT '',
    unit_code  TEXT NOT NULL DEFAULT '',
    deadline   TEXT NOT NULL DEFAULT '' CHECK (deadline = '' OR deadline ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    created_at TEXT NOT NULL,
    read_at    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE notify_keys (
    key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 120),
    created_at TEXT NOT NULL
);

CREATE TABLE notify_outbox (
    id           TEXT PRIMARY KEY,                -- random
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    user_id      BIGINT REFERENCES users(id) ON DELETE CASCADE,   -- e-mail: to whom
    unit_code    TEXT NOT NULL DEFAULT '',                          -- webhook: whose robot
    kind         TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    opinion_id   TEXT NOT NULL DEFAULT '',
    event_unit   TEXT NOT NULL DEFAULT '',
    deadline     TEXT NOT NULL DEFAULT '',
    counts       TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    next_try_at  TEXT NOT NULL,
    lease_until  TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 300),
    created_at   TEXT NOT NULL,
    sent_at      TEXT NOT NULL DEFAULT '',
    CHECK ((channel = 'email') = (user_id IS NOT NULL)),
    CHECK ((channel = 'webhook') = (unit_code != ''))
);

CREATE TABLE notify_prefs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    channel TEXT NOT NULL CHECK (channel IN ('inbox', 'email', 'webhook')),
    enabled BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (user_id, kind, channel)
);

CREATE TABLE notify_role_defaults (
    role    TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 20),
    kind    TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 30),
    channel TEXT NOT NULL CHECK (channel IN ('inbox', 'email', 'webhook')),
    enabled BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (role, kind, channel)
);

CREATE TABLE notify_people (
    user_id      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email        TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 200),
    hourly       BIGINT NOT NULL DEFAULT 0 CHECK (hourly IN (0, 1)),
    last_mail_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE unit_webhooks (
    unit_code     TEXT PRIMARY KEY REFERENCES units(code) ON DELETE CASCADE,
    url           TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 500),
    format        TEXT NOT NULL CHECK (format IN ('wecom', 'dingtalk')),
    secret_sealed BYTEA
);

CREATE TABLE smtp_settings (
    id              BIGINT PRIMARY KEY CHECK (id = 1),
    host            TEXT NOT NULL DEFAULT '' CHECK (length(host) <= 200),
    port            BIGINT NOT NULL DEFAULT 587 CHECK (port BETWEEN 1 AND 65535),
    tls_mode        TEXT NOT NULL DEFAULT 'starttls' CHECK (tls_mode IN ('starttls', 'implicit', 'none')),
    sender          TEXT NOT NULL DEFAULT '' CHECK (length(sender) <= 200),   -- the From: mailbox
    username        TEXT NOT NULL DEFAULT '' CHECK (length(username) <= 200),
    password_sealed BYTEA
);

CREATE TABLE notify_digest_days (
    day TEXT PRIMARY KEY CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
);

CREATE TABLE opinion_messages (
    id         TEXT PRIMARY KEY,                 -- random, never sequential
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    side       TEXT NOT NULL CHECK (side IN ('staff', 'submitter')),
    author_id  BIGINT REFERENCES users(id),     -- the staff member who wrote it; NULL for the submitter
    kind       TEXT NOT NULL CHECK (kind IN ('question', 'message', 'answer', 'addition')),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    day        TEXT NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    seq        BIGINT CHECK (seq > 0),          -- staff messages only: their order in the thread
    answers    TEXT REFERENCES opinion_messages(id) ON DELETE CASCADE, -- an answer: the question
    CHECK ((side = 'staff') = (author_id IS NOT NULL)),
    CHECK ((side = 'staff') = (seq IS NOT NULL)),
    CHECK ((side = 'staff') = (kind IN ('question', 'message'))),
    CHECK ((kind = 'answer') = (answers IS NOT NULL)),
    UNIQUE (opinion_id, seq)
);

CREATE TABLE attachments (
    id         TEXT PRIMARY KEY,
    opinion_id TEXT REFERENCES opinions(id) ON DELETE CASCADE,
    message_id TEXT,
    kind       TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'pdf')),
    size       BIGINT NOT NULL CHECK (size > 0 AND size <= 10485760),
    data       BYTEA NOT NULL CHECK (length(data) = size),
    created_on TEXT NOT NULL CHECK (created_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    CHECK ((opinion_id IS NULL) != (message_id IS NULL))
);

CREATE TABLE campaigns (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The opinion form's own questions for the campaign, one a line, open only in a 听取意见
    -- phase.
    questions       TEXT NOT NULL DEFAULT '',
    -- 限时办结: working days allowed by default for 立行立改 and for 限期整改.
    immediate_days  BIGINT NOT NULL DEFAULT 5 CHECK (immediate_days BETWEEN 1 AND 365),
    limited_days    BIGINT NOT NULL DEFAULT 30 CHECK (limited_days BETWEEN 1 AND 365),
    created_on      TEXT NOT NULL CHECK (created_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
);

CREATE TABLE campaign_units (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (campaign_id, unit_code)
);

CREATE TABLE campaign_phases (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL CHECK (seq BETWEEN 1 AND 20),
    kind        TEXT NOT NULL CHECK (kind IN ('listen', 'examine', 'rectify', 'lookback', 'summary', 'custom')),
    name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 30),
    starts_on   TEXT NOT NULL CHECK (starts_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    ends_on     TEXT NOT NULL CHECK (ends_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    CHECK (starts_on <= ends_on),
    CHECK ((kind = 'custom') = (name != '')),
    PRIMARY KEY (campaign_id, seq)
);

CREATE TABLE campaign_answers (
    opinion_id  TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    question_no BIGINT NOT NULL CHECK (question_no BETWEEN 1 AND 10),
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL CHECK (length(answer) BETWEEN 1 AND 2000),
    PRIMARY KEY (opinion_id, question_no)
);

CREATE TABLE plans (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns(id),
    kind          TEXT NOT NULL CHECK (kind IN ('rectification', 'special', 'system')),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    -- The text, plain: lines starting "一、" are headings, lines starting "（一）" subheadings
    -- (package plan reads them); nothing in it is ever rendered as HTML.
    body          TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 50000),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'comment', 'review', 'returned', 'approved', 'published', 'done')),
    -- Who may read and comment on the draft while it is open for comment, and the days it is.
    comment_scope TEXT NOT NULL DEFAULT '',
    comment_from  TEXT NOT NULL DEFAULT '',
    comment_to    TEXT NOT NULL DEFAULT '',
    -- The 督导组's words when it last returned the plan.
    review_note   TEXT NOT NULL DEFAULT '' CHECK (length(review_note) <= 2000),
    -- On publication: who may read it, and what changed after the comments received.
    scope         TEXT NOT NULL DEFAULT '',
    changes_note  TEXT NOT NULL DEFAULT '' CHECK (length(changes_note) <= 2000),
    created_on    TEXT NOT NULL CHECK (created_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    updated_on    TEXT NOT NULL,
    approved_on   TEXT NOT NULL DEFAULT '',
    published_on  TEXT NOT NULL DEFAULT '',
    done_on       TEXT NOT NULL DEFAULT '',
    CHECK (comment_from <= comment_to)
);

CREATE TABLE plan_tasks (
    plan_id      BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL CHECK (seq BETWEEN 1 AND 200),
    what         TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 200),
    goal         TEXT NOT NULL DEFAULT '' CHECK (length(goal) <= 1000),
    measures     TEXT NOT NULL DEFAULT '' CHECK (length(measures) <= 2000),
    leader_post  TEXT NOT NULL DEFAULT '' CHECK (length(leader_post) <= 40),
    leader_name  TEXT NOT NULL DEFAULT '' CHECK (length(leader_name) <= 40),
    publish_name BIGINT NOT NULL DEFAULT 0 CHECK (publish_name IN (0, 1)),
    unit_code    TEXT REFERENCES units(code),
    commitment   TEXT NOT NULL DEFAULT '' CHECK (length(commitment) <= 1000),
    acceptance   TEXT NOT NULL DEFAULT '' CHECK (length(acceptance) <= 1000),
    deadline     TEXT NOT NULL DEFAULT '',
    opinion_id   TEXT REFERENCES opinions(id),
    problem_id   TEXT REFERENCES problems(id),
    PRIMARY KEY (plan_id, seq)
);

CREATE TABLE plan_comments (
    plan_id    BIGINT NOT NULL REFERENCES plans(id),
    opinion_id TEXT NOT NULL UNIQUE REFERENCES opinions(id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, opinion_id)
);

CREATE TABLE plan_steps (
    plan_id     BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    at          TEXT NOT NULL,
    user_id     BIGINT REFERENCES users(id),
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    PRIMARY KEY (plan_id, seq)
);

CREATE TABLE notices (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    campaign_id  BIGINT NOT NULL DEFAULT 0, -- 0: none (a task list of a period)
    kind         TEXT NOT NULL CHECK (kind IN ('notice', 'brief', 'tasklist', 'result')),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    body         TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    scope        TEXT NOT NULL CHECK (scope IN ('public', 'staff') OR (scope ~ '^unit:.' AND length(scope) <= 60)),
    -- a task list of a period without a campaign: its first and last days of arrival
    period_from  TEXT NOT NULL DEFAULT '',
    period_to    TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL CHECK (published_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    published_by BIGINT NOT NULL REFERENCES users(id),
    withdrawn_on TEXT NOT NULL DEFAULT ''
);

CREATE TABLE notice_tasks (
    notice_id   BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    task        TEXT NOT NULL, -- the reviewer's public title (publications.title)
    lead_unit   TEXT NOT NULL, -- the unit's name as it was
    post        TEXT NOT NULL,
    name        TEXT NOT NULL, -- '' unless staff chose to publish the name
    kind        TEXT NOT NULL, -- lifecycle.Kinds code, '' before the work started
    deadline    TEXT NOT NULL,
    status      TEXT NOT NULL, -- lifecycle status code, worded for the board when shown
    PRIMARY KEY (notice_id, seq)
);

CREATE TABLE lookback_notes (
    opinion_id  TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    cause       TEXT NOT NULL CHECK (length(cause) BETWEEN 1 AND 1000),
    measures    TEXT NOT NULL CHECK (length(measures) BETWEEN 1 AND 1000),
    recorded_on TEXT NOT NULL CHECK (recorded_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    user_id     BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (campaign_id, opinion_id)
);

-- The search index's documents. On SQLite search_index is an FTS4 table over search_bodies;
-- until PostgreSQL gets its own full-text index (a GIN index over these tokens), it is a plain
-- table that the same writes fill, so that staff edits keep it current for the day it comes.
CREATE TABLE search_index (
    docid BIGINT PRIMARY KEY,
    body  TEXT NOT NULL
);

CREATE TABLE search_bodies (
    docid BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    body  TEXT NOT NULL
);

CREATE TABLE report_consultations (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind       TEXT NOT NULL,
    period     TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    basics     TEXT NOT NULL DEFAULT '' CHECK (length(basics) <= 5000),
    problems   TEXT NOT NULL DEFAULT '' CHECK (length(problems) <= 5000),
    causes     TEXT NOT NULL DEFAULT '' CHECK (length(causes) <= 5000),
    measures   TEXT NOT NULL DEFAULT '' CHECK (length(measures) <= 5000),
    scope      TEXT NOT NULL,
    open_from  TEXT NOT NULL CHECK (open_from ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    open_to    TEXT NOT NULL CHECK (open_to ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    open       BIGINT NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    -- What the office changed after the comments: the issued report says it.
    changes    TEXT NOT NULL DEFAULT '' CHECK (length(changes) <= 2000),
    opened_on  TEXT NOT NULL,
    UNIQUE (kind, period, unit),
    CHECK (open_from <= open_to)
);

CREATE TABLE report_comments (
    consultation_id BIGINT NOT NULL REFERENCES report_consultations(id),
    opinion_id      TEXT NOT NULL UNIQUE REFERENCES opinions(id) ON DELETE CASCADE,
    PRIMARY KEY (consultation_id, opinion_id)
);

CREATE INDEX opinion_styles_by_style ON opinion_styles (style, opinion_id);
CREATE INDEX opinion_notes_by_opinion ON opinion_notes (opinion_id, id);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX audit_log_by_opinion ON audit_log (opinion_id, id);
CREATE INDEX rectifications_by_lead ON rectifications (lead_unit, deadline);
CREATE INDEX rectifications_by_deadline ON rectifications (deadline) WHERE deadline != '';
CREATE UNIQUE INDEX units_by_name ON units (name) WHERE kind != 'dept';
CREATE UNIQUE INDEX units_dept_by_name ON units (parent_code, name) WHERE kind = 'dept';
CREATE INDEX units_by_parent ON units (parent_code, sort_order);
CREATE INDEX survey_responses_by_unit ON survey_responses (survey_id, unit_code, dept);
CREATE INDEX survey_answers_by_item ON survey_answers (survey_id, item_id);
CREATE INDEX mailbox_reader_users_by_user ON mailbox_reader_users (user_id);
CREATE INDEX evaluation_codes_by_evaluation ON evaluation_codes (evaluation_id, used);
CREATE INDEX evaluation_answers_by_evaluation ON evaluation_answers (evaluation_id);
CREATE INDEX public_events_by_opinion ON public_events (opinion_id, day);
CREATE INDEX opinions_by_day ON opinions (created_on, id);
CREATE INDEX opinions_by_merge ON opinions (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX opinions_by_mailbox ON opinions (mailbox_code, created_on, id) WHERE mailbox_code != '';
CREATE INDEX opinions_by_site ON opinions (site_code) WHERE site_code != '';
CREATE INDEX opinions_without_search_text ON opinions (id) WHERE search_text = '';
CREATE INDEX login_throttle_by_age ON login_throttle (last_at);
CREATE INDEX opinion_tags_by_tag ON opinion_tags (tag, opinion_id);
CREATE UNIQUE INDEX suggest_models_one_active ON suggest_models (active) WHERE active = 1;
CREATE INDEX opinions_by_status ON opinions (status, created_on, id, type, mailbox_code, unit_code, channel);
CREATE INDEX opinions_by_channel ON opinions (channel, created_on, id) WHERE channel NOT IN ('web', 'qr');
CREATE INDEX issued_reports_unit ON issued_reports(unit, issued_on);
CREATE INDEX opinions_by_unit ON opinions (unit_code, created_on, id, dept, type, status, mailbox_code, about_leadership);
CREATE INDEX ratings_by_day ON ratings (rated_on);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at = '';
CREATE INDEX notify_outbox_due ON notify_outbox (state, next_try_at);
CREATE INDEX opinion_messages_by_answer ON opinion_messages (answers) WHERE answers IS NOT NULL;
CREATE INDEX attachments_by_opinion ON attachments (opinion_id) WHERE opinion_id IS NOT NULL;
CREATE INDEX attachments_by_message ON attachments (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX audit_log_by_user ON audit_log (user_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_time ON audit_log (created_at, id);
CREATE INDEX opinions_reports ON opinions (id) WHERE type = 'report';
CREATE INDEX opinions_in_mailboxes ON opinions (id) WHERE mailbox_code != '';
CREATE INDEX plans_by_campaign ON plans (campaign_id, status);
CREATE INDEX notices_by_campaign ON notices (campaign_id, published_on);


CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change('audit_log is append-only');
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change('audit_log is append-only');
CREATE TRIGGER issued_reports_frozen BEFORE UPDATE ON issued_reports
    FOR EACH ROW EXECUTE FUNCTION refuse_change('issued report is frozen');
CREATE TRIGGER issued_reports_kept BEFORE DELETE ON issued_reports
    FOR EACH ROW EXECUTE FUNCTION refuse_change('issued report is kept');

-- The rows SQLite's migrations 0002 (units), 0012 and 0020 (the seeded mailboxes), 0022 (the
-- taxonomy) and 0023 (the search state) insert.
INSERT INTO units VALUES('bureau','县卫生健康局机关',NULL,'bureau',10,1);
INSERT INTO units VALUES('county-hospital','县人民医院','bureau','county',20,1);
INSERT INTO units VALUES('tcm-hospital','县中医院','bureau','county',30,1);
INSERT INTO units VALUES('mch-hospital','县妇幼保健院','bureau','county',40,1);
INSERT INTO units VALUES('chengguan-thc','城关镇卫生院','bureau','township',50,1);
INSERT INTO units VALUES('qingshan-thc','青山乡卫生院','bureau','township',60,1);
INSERT INTO mailboxes VALUES('director','局长信箱','对全县卫生健康工作的意见和建议，直接写给局长。','由局长、局领导和卫生健康局意见办理人员阅读，交给负责的单位办理。',NULL,0,1,1);
INSERT INTO mailboxes VALUES('discipline','纪检监察信箱','反映工作人员违纪违规问题，如收受红包、回扣，吃拿卡要等。','只由纪检监察人员阅读，其他任何人都看不到。',NULL,1,1,2);
INSERT INTO mailbox_reader_roles VALUES('director','admin');
INSERT INTO mailbox_reader_roles VALUES('director','leader');
INSERT INTO mailbox_reader_roles VALUES('director','reviewer');
INSERT INTO mailbox_reader_roles VALUES('discipline','discipline');
INSERT INTO tags VALUES('arbitrary_fees','family',NULL,'乱收费','Improper charges (乱收费)',replace('乱收费\n多收\n重复收费\n分解收费\n收费标准\n费用清单\n不给收据\n多扣\n收费项目\n价格不一样','\n',chr(10)),360,NULL);
INSERT INTO tags VALUES('bureaucratism-aloof','manifestation','bureaucratism','脱离群众、高高在上','Out of touch with people, acting superior',replace('脱离群众\n高高在上\n不接地气\n不下基层\n不进病房\n只听汇报\n不知道下面\n不管职工\n发扬吃苦精神\n漠视','\n',chr(10)),110,NULL);
INSERT INTO tags VALUES('bureaucratism-arbitrary','manifestation','bureaucratism','乱收费、乱罚款、乱摊派','Arbitrary charges, fines or levies',replace('乱收费\n乱罚款\n乱摊派\n吃拿卡要\n巧立名目\n强制购买\n不给收据\n罚款没依据\n摊派任务\n索要\n拿走两箱','\n',chr(10)),150,NULL);
INSERT INTO tags VALUES('bureaucratism-buckpassing','manifestation','bureaucratism','推诿扯皮、久拖不办','Passing the buck, letting matters drag on',replace('推诿\n扯皮\n踢皮球\n不归我们管\n不是我们科\n推来推去\n两边跑\n转了一圈\n互相推\n让去县里\n首诊负责','\n',chr(10)),90,NULL);
INSERT INTO tags VALUES('bureaucratism-cold','manifestation','bureaucratism','对患者冷漠、态度生冷硬','Cold or harsh towards patients',replace('态度冷漠\n生冷硬\n爱看不看\n骂人\n摔单子\n不耐烦\n不理人\n嫌脏\n吼人\n装没听见\n活该','\n',chr(10)),120,NULL);
INSERT INTO tags VALUES('bureaucratism-disobey','manifestation','bureaucratism','有令不行、有禁不止','Orders not carried out, bans not enforced',replace('有令不行\n有禁不止\n上有政策\n下有对策\n明令禁止\n照收不误\n换了个名目\n说一套做一套\n禁止\n上面说了','\n',chr(10)),140,NULL);
INSERT INTO tags VALUES('bureaucratism-hard','manifestation','bureaucratism','门难进、脸难看、事难办','Hard to get in, unfriendly faces, hard to get things done',replace('门难进\n脸难看\n事难办\n跑了好几趟\n材料不全\n还要证明\n不给办\n找不到人\n自己上网查\n盖章','\n',chr(10)),80,NULL);
INSERT INTO tags VALUES('bureaucratism-slow','manifestation','bureaucratism','办事效率低','Slow, inefficient service',replace('效率低\n办事慢\n久拖不办\n拖了半年\n还在审批\n等通知\n一直没修\n没有下文\n中梗阻\n说要等\n在走流程','\n',chr(10)),100,NULL);
INSERT INTO tags VALUES('bureaucratism-undemocratic','manifestation','bureaucratism','重大决策不民主、不科学','Major decisions taken without consultation or evidence',replace('一言堂\n一个人说了算\n不民主\n没征求意见\n事先没问\n关起门来定\n院长拍板\n三重一大\n职代会没讨论\n班子会\n没人问过','\n',chr(10)),130,NULL);
INSERT INTO tags VALUES('conduct','family',NULL,'行风/医德医风','Professional ethics (行风/医德医风)',replace('医德医风\n红包\n回扣\n兼职坐诊\n私人诊所\n假证明\n病假条\n泄露隐私\n收礼\n行风','\n',chr(10)),340,NULL);
INSERT INTO tags VALUES('duty_consumption','family',NULL,'职务消费','Spending in office (职务消费)',replace('职务消费\n手机费\n通讯费\n会员卡\n疗养\n商务舱\n住套房\n签单\n红木家具\n按摩椅','\n',chr(10)),300,NULL);
INSERT INTO tags VALUES('eightrules','family',NULL,'八项规定','The eight-point rules (八项规定)',replace('八项规定\n公务接待\n购物卡\n节日慰问\n宴请\n吃请\n检查组\n调研\n送礼\n上级来人','\n',chr(10)),280,NULL);
INSERT INTO tags VALUES('enforcement','family',NULL,'执法','Law enforcement (执法)',replace('无证\n黑诊所\n卫生许可\n健康证\n监督所\n执法\n非法行医\n卫生监督\n资质\n罚款','\n',chr(10)),430,NULL);
INSERT INTO tags VALUES('environment_process','family',NULL,'就医环境流程','Surroundings and procedures (就医环境流程)',replace('排长队\n挂号难\n停车难\n等了半天\n流程繁琐\n来回跑\n指示牌\n电梯坏了\n没地方坐\n太挤\n看病难','\n',chr(10)),420,NULL);
INSERT INTO tags VALUES('extravagance-banquets','manifestation','extravagance','公款吃喝、公款送礼','Banquets and gifts at public expense',replace('公款吃喝\n公款送礼\n购物卡\n大吃大喝\n请客送礼\n挂账\n签单\n酒席\n土特产\n科室经费\n招待\n酒店','\n',chr(10)),220,NULL);
INSERT INTO tags VALUES('extravagance-cars','manifestation','extravagance','公车私用、超标配车','Official cars for private use or above standard',replace('公车私用\n公车私驾\n超标配车\n公车接送\n公务车\n单位的车\n医院的车\n加油卡\n专车\n公车','\n',chr(10)),250,NULL);
INSERT INTO tags VALUES('extravagance-receptions','manifestation','extravagance','迎来送往、公务接待超标','Lavish receptions and send-offs above standard',replace('迎来送往\n接待超标\n陪吃陪喝\n高速口接\n拉横幅\n鲜花果盘\n陪同的人\n安排游玩\n四菜一汤\n上面来人\n迎接','\n',chr(10)),230,NULL);
INSERT INTO tags VALUES('extravagance-slushfund','manifestation','extravagance','私设“小金库”','Secret “small treasuries” (小金库)',replace('小金库\n账外\n不入账\n不开票\n收现金\n私账\n小账\n返利\n备用金\n白条\n另一个本子','\n',chr(10)),260,NULL);
INSERT INTO tags VALUES('extravagance-threepublic','manifestation','extravagance','“三公”经费开支过大','Excessive spending on the “three public expenses” (三公经费)',replace('三公经费\n出国考察\n公款旅游\n差旅费\n接待费\n考察学习\n超预算\n商务舱\n车辆运行费\n去外省','\n',chr(10)),240,NULL);
INSERT INTO tags VALUES('extravagance-waste','manifestation','extravagance','铺张浪费、办公经费浪费','Extravagance and waste of office funds',replace('铺张浪费\n浪费\n重新装修\n没拆封\n闲置\n灯全开着\n空调不关\n一次就扔\n重印\n砸了重装\n大手大脚','\n',chr(10)),270,NULL);
INSERT INTO tags VALUES('favour_consumption','family',NULL,'人情消费','Gifts and favours (人情消费)',replace('人情消费\n随礼\n份子钱\n上礼\n礼金\n升学宴\n满月\n凑钱\n拜年\n随份子','\n',chr(10)),310,NULL);
INSERT INTO tags VALUES('formalism-falsify','manifestation','formalism','弄虚作假','Falsifying or faking results',replace('弄虚作假\n造假\n虚报\n补签\n编数据\n编一个数\n照着抄\n日期往前写\n替病人点满意\n根本没人来过','\n',chr(10)),20,NULL);
INSERT INTO tags VALUES('formalism-festivities','manifestation','formalism','节庆、评比表彰和达标活动过多','Too many celebrations, award ceremonies and target campaigns',replace('评比\n达标活动\n评先进\n表彰大会\n文艺汇演\n知识竞赛\n创建文明\n迎检\n网络投票\n演讲比赛\n节目','\n',chr(10)),70,NULL);
INSERT INTO tags VALUES('formalism-goodnews','manifestation','formalism','报喜不报忧、欺上瞒下','Reporting only good news, hiding problems from superiors',replace('报喜不报忧\n欺上瞒下\n瞒报\n别往外说\n不让往上报\n压着没报\n统一口径\n写的是良好\n全年零纠纷','\n',chr(10)),50,NULL);
INSERT INTO tags VALUES('formalism-meetings','manifestation','formalism','文山会海（会议、文件、简报过多）','Too many meetings, documents and briefings',replace('文山会海\n会议太多\n开不完的会\n填不完的表\n台账\n报表\n重复录入\n录好几遍\n学习笔记\n学习打卡\n简报\n赶材料','\n',chr(10)),30,NULL);
INSERT INTO tags VALUES('formalism-perfunctory','manifestation','formalism','走过场、流于形式','Going through the motions',replace('走过场\n流于形式\n走形式\n签个字就走\n拍几张照片\n念文件\n应付检查\n换个日期\n没有下文\n提前打好勾','\n',chr(10)),40,NULL);
INSERT INTO tags VALUES('formalism-unsolid','manifestation','formalism','作风不实、不求实效','Work that is not solid or does not seek real results',replace('不求实效\n作风不实\n知行不一\n表面文章\n光喊口号\n一条都没落实\n喊了好几年\n大锅饭\n干多干少一个样\n只挂了牌子\n措施','\n',chr(10)),10,NULL);
INSERT INTO tags VALUES('formalism-vanity','manifestation','formalism','“形象工程”“政绩工程”','Vanity projects and showcase achievements',replace('形象工程\n政绩工程\n面子工程\n雕塑\n大屏幕\n剪彩\n领导来了才开\n一直锁着\n落灰\n花了几十万','\n',chr(10)),60,NULL);
INSERT INTO tags VALUES('hedonism-absent','manifestation','hedonism','迟到早退、上班干私事','Arriving late, leaving early, private business at work',replace('迟到\n早退\n脱岗\n离岗\n串岗\n玩手机\n打游戏\n打麻将\n炒股\n网购\n干私活\n上班时间','\n',chr(10)),170,NULL);
INSERT INTO tags VALUES('hedonism-complacent','manifestation','hedonism','贪图安逸、不思进取','Seeking comfort, no drive to improve',replace('不思进取\n贪图安逸\n混日子\n等退休\n多一事不如少一事\n别折腾\n安于现状\n不愿意学\n老办法\n得过且过','\n',chr(10)),190,NULL);
INSERT INTO tags VALUES('hedonism-drinking','manifestation','hedonism','工作日饮酒','Drinking on working days',replace('工作日饮酒\n喝了酒\n酒气\n酒味\n喝多了\n酒后\n划拳\n白酒\n中午喝\n啤酒','\n',chr(10)),180,NULL);
INSERT INTO tags VALUES('hedonism-housing','manifestation','hedonism','领导干部多占住房、待遇超标','Leaders taking extra housing or benefits above standard',replace('多占住房\n办公室超标\n占着周转房\n带卧室的办公室\n两间办公室\n待遇超标\n领导公寓\n套间\n分了两套','\n',chr(10)),210,NULL);
INSERT INTO tags VALUES('hedonism-lazy','manifestation','hedonism','庸懒散拖','Mediocre, lazy, lax or slow at work',replace('庸懒散拖\n磨磨蹭蹭\n拖拖拉拉\n值班睡觉\n趴在桌上睡\n敷衍了事\n出工不出力\n说了不来\n一拖再拖\n随手一扔','\n',chr(10)),160,NULL);
INSERT INTO tags VALUES('hedonism-privilege','manifestation','hedonism','讲究排场、搞特权','Showing off and seeking privileges',replace('特权\n讲排场\n插队\n打过招呼\n领导专用\n关系户\n前呼后拥\n领导亲戚\n开小灶\n帮忙搬家\n不用排队','\n',chr(10)),200,NULL);
INSERT INTO tags VALUES('kickbacks','family',NULL,'红包回扣/开单提成','Red envelopes and kickbacks (红包回扣/开单提成)',replace('红包\n回扣\n提成\n开单提成\n医药代表\n药商\n厂家的人\n好处费\n商业贿赂\n意思意思\n塞信封','\n',chr(10)),350,NULL);
INSERT INTO tags VALUES('labour_discipline','family',NULL,'劳动纪律','Work discipline (劳动纪律)',replace('迟到\n早退\n脱岗\n串岗\n玩手机\n打牌\n吃早点\n上班时间\n睡岗\n喝酒\n值班室','\n',chr(10)),400,NULL);
INSERT INTO tags VALUES('medical_safety','family',NULL,'医疗质量安全','Quality and safety of care (医疗质量安全)',replace('医疗事故\n差错\n误诊\n感染\n拿错药\n打错针\n名字不对\n没核对\n过期药\n消毒','\n',chr(10)),410,NULL);
INSERT INTO tags VALUES('office_space','family',NULL,'办公用房','Office space (办公用房)',replace('办公用房\n院长办公室\n办公室超标\n周转房\n职工宿舍\n多占住房\n套间\n面积超标\n办公楼','\n',chr(10)),330,NULL);
INSERT INTO tags VALUES('official_cars','family',NULL,'公务用车','Official cars (公务用车)',replace('公车\n公务车\n公务用车\n单位的车\n医院的车\n配车\n加油卡\n专车\n车队','\n',chr(10)),320,NULL);
INSERT INTO tags VALUES('overtreatment','family',NULL,'不合理诊疗','Unnecessary treatment or tests (不合理诊疗)',replace('大处方\n人情方\n滥检查\n过度检查\n过度治疗\n没必要做\n开了一大堆\n保健品\n营养液\n非要住院','\n',chr(10)),370,NULL);
INSERT INTO tags VALUES('praise','family',NULL,'表扬','Praise (表扬)',replace('表扬\n感谢\n谢谢\n锦旗\n点赞\n好医生\n好护士\n耐心\n辛苦了\n暖心\n负责任','\n',chr(10)),450,NULL);
INSERT INTO tags VALUES('refusing_patients','family',NULL,'推诿病人','Turning patients away (推诿病人)',replace('推诿病人\n首诊负责\n不收\n拒收\n不接诊\n不归我们科\n让去县里\n推回来\n没建档不收','\n',chr(10)),380,NULL);
INSERT INTO tags VALUES('safety_hazard','family',NULL,'安全隐患','Safety hazards (安全隐患)',replace('安全隐患\n消防\n灭火器\n消防通道\n电线\n配电箱\n氧气瓶\n漏电\n塌了\n锅炉房','\n',chr(10)),440,NULL);
INSERT INTO tags VALUES('service_attitude','family',NULL,'服务态度','Attitude towards patients (服务态度)',replace('态度差\n态度恶劣\n不耐烦\n骂人\n吵架\n不礼貌\n语气冲\n不解释\n爱答不理\n说话难听\n语气\n说话太快','\n',chr(10)),390,NULL);
INSERT INTO tags VALUES('threepublic','family',NULL,'三公经费','The “three public expenses” (三公经费)',replace('三公经费\n接待费\n出国\n差旅费\n考察\n公务接待\n车辆运行费\n油卡\n公务用车','\n',chr(10)),290,NULL);
INSERT INTO search_state VALUES(1,'',0,0,0);
