-- 追责问责 (feature 43): when an opinion's rectification is marked 追责 (rectifications.
-- accountability), the record of each decision: who decided, the measure, the day, the
-- document number. Staff rows: they keep a rowid. Read by administrators and discipline
-- (access.Accountability); every addition audited in its transaction.
CREATE TABLE accountability_records (
    id         INTEGER PRIMARY KEY,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    decided_by TEXT NOT NULL CHECK (length(decided_by) BETWEEN 1 AND 100),
    measure    TEXT NOT NULL CHECK (measure IN ('talk', 'education', 'notice', 'admonish', 'organisational', 'referral')),
    decided_on TEXT NOT NULL CHECK (decided_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    doc_no     TEXT NOT NULL DEFAULT '' CHECK (length(doc_no) <= 60),
    created_by INTEGER REFERENCES users(id), -- NULL: recorded from the command line
    created_at TEXT NOT NULL
);
CREATE INDEX accountability_by_opinion ON accountability_records (opinion_id, id);
CREATE INDEX accountability_by_day ON accountability_records (decided_on);

-- The conduct record (医德医风档案, feature 64) is off until an administrator turns it on; the
-- record of a badge number (挂牌上岗, opinions.target_badge) is off until they turn that on too.
-- One row.
CREATE TABLE conduct_settings (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    badges  INTEGER NOT NULL DEFAULT 0 CHECK (badges IN (0, 1)),
    CHECK (enabled = 1 OR badges = 0)
);
INSERT INTO conduct_settings (id, enabled, badges) VALUES (1, 0, 0);
