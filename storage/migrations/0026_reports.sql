-- Summary reports (#12). An issued report (签发) is archived as the exact bytes of its frozen
-- canonical JSON with their SHA-256: reading it back unmarshals those bytes and never counts
-- again, so re-tagging an opinion later changes nothing in it. A correction is a new row that
-- names the one it replaces. Numbers are sequential per year of issue: 2026-001, 2026-002…
CREATE TABLE issued_reports (
    number     TEXT PRIMARY KEY CHECK (number GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9]*'),
    year       INTEGER NOT NULL,
    seq        INTEGER NOT NULL CHECK (seq > 0),
    kind       TEXT NOT NULL,
    period     TEXT NOT NULL,             -- as period.Period.String spells it: 2026-12, 2026-Q4…
    unit       TEXT NOT NULL DEFAULT '',  -- '' is the whole system
    discipline INTEGER NOT NULL DEFAULT 0 CHECK (discipline IN (0, 1)), -- 纪检's version, with 举报
    title      TEXT NOT NULL,
    body       BLOB NOT NULL,             -- the frozen canonical JSON, byte for byte
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    issued_on  TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    issued_by  TEXT NOT NULL,             -- username, kept as text: the archive outlives accounts
    replaces   TEXT REFERENCES issued_reports(number),
    UNIQUE (year, seq)
) WITHOUT ROWID;

CREATE INDEX issued_reports_unit ON issued_reports(unit, issued_on);

-- An issued report never changes and is never removed: the database itself refuses, whatever
-- code runs against it.
CREATE TRIGGER issued_reports_frozen BEFORE UPDATE ON issued_reports
BEGIN
    SELECT RAISE(ABORT, 'issued report is frozen');
END;

CREATE TRIGGER issued_reports_kept BEFORE DELETE ON issued_reports
BEGIN
    SELECT RAISE(ABORT, 'issued report is kept');
END;

-- Drafts staff are editing: the narrative and the chosen cases (JSON written by package report),
-- one per report (kind, period, unit, version), so that staff can save and come back. The
-- figures are not kept: a draft is counted afresh each time it is opened.
CREATE TABLE report_drafts (
    kind       TEXT NOT NULL,
    period     TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    discipline INTEGER NOT NULL DEFAULT 0 CHECK (discipline IN (0, 1)),
    body       BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    PRIMARY KEY (kind, period, unit, discipline)
) WITHOUT ROWID;
