-- minsheng: foreign_keys off
-- The 整改 lifecycle and the staff roles. SQLite cannot change CHECK constraints in place, so
-- opinions and users are rebuilt (create, copy, drop, rename) with foreign keys off; the
-- migrator runs foreign_key_check before it commits.

-- Opinions: the full lifecycle, a "about the unit's own leadership" mark (conflict of interest:
-- never shown to that unit's liaison) and the opinion a duplicate was merged into.
-- Old statuses map onto the new ones: processing and replied were "being worked on" without
-- an owner, so they go back to 已分类 to be assigned properly; replies are kept.
CREATE TABLE opinions_new (
    id               TEXT PRIMARY KEY,
    receipt_hash     BLOB NOT NULL UNIQUE,
    type             TEXT NOT NULL CHECK (type IN ('opinion', 'suggestion', 'complaint', 'report', 'praise')),
    unit_code        TEXT NOT NULL REFERENCES units(code),
    dept             TEXT NOT NULL DEFAULT '',
    submitter        TEXT NOT NULL CHECK (submitter IN ('patient', 'family', 'staff', 'public', 'other')),
    content          TEXT NOT NULL,
    contact          TEXT NOT NULL DEFAULT '',
    about_leadership INTEGER NOT NULL DEFAULT 0 CHECK (about_leadership IN (0, 1)),
    status           TEXT NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'triaged', 'assigned', 'rectifying', 'reported', 'lookback',
                                       'satisfaction', 'closed', 'rejected', 'duplicate', 'forwarded')),
    merged_into      TEXT REFERENCES opinions_new(id),
    reply            TEXT NOT NULL DEFAULT '',
    replied_on       TEXT NOT NULL DEFAULT '',
    created_on       TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK ((status = 'duplicate') = (merged_into IS NOT NULL))
);
INSERT INTO opinions_new (id, receipt_hash, type, unit_code, dept, submitter, content, contact, status,
                          reply, replied_on, created_on)
SELECT id, receipt_hash, type, unit_code, dept, submitter, content, contact,
       CASE status WHEN 'processing' THEN 'triaged' WHEN 'replied' THEN 'triaged' ELSE status END,
       reply, replied_on, created_on
FROM opinions;
DROP TABLE opinions;
ALTER TABLE opinions_new RENAME TO opinions;
CREATE INDEX opinions_by_day ON opinions (created_on, id);
CREATE INDEX opinions_by_status ON opinions (status, created_on, id);
CREATE INDEX opinions_by_unit ON opinions (unit_code, created_on, id);
CREATE INDEX opinions_by_merge ON opinions (merged_into) WHERE merged_into IS NOT NULL;

-- What the rectification of an opinion needs, one row per opinion that got that far.
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
    published      INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),     -- 已公示
    accountability INTEGER NOT NULL DEFAULT 0 CHECK (accountability IN (0, 1)), -- 追责
    unfounded      INTEGER NOT NULL DEFAULT 0 CHECK (unfounded IN (0, 1)),      -- 查无实据
    substantiated  INTEGER NOT NULL DEFAULT 0 CHECK (substantiated IN (0, 1))   -- 举报属实
);
CREATE INDEX rectifications_by_lead ON rectifications (lead_unit, deadline);
CREATE INDEX rectifications_by_deadline ON rectifications (deadline) WHERE deadline != '';

-- The submitter's answer to "are you satisfied?", one per receipt.
CREATE TABLE ratings (
    opinion_id TEXT PRIMARY KEY REFERENCES opinions(id) ON DELETE CASCADE,
    rating     TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically', 'dissatisfied')),
    words      TEXT NOT NULL DEFAULT '',
    rated_on   TEXT NOT NULL
);

-- Staff roles. A liaison belongs to one unit; a leader follows linked units (联系点).
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'liaison', 'leader', 'supervisor', 'discipline')),
    unit_code     TEXT REFERENCES units(code),
    created_at    TEXT NOT NULL,
    CHECK ((role = 'liaison') = (unit_code IS NOT NULL))
);
INSERT INTO users_new (id, username, password_hash, role, created_at)
SELECT id, username, password_hash, role, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE user_units (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_code TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (user_id, unit_code)
) WITHOUT ROWID;
