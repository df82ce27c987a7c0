-- Drafts of summary reports (#12) opened for comment (feature 63, #14). The 活动办 opens a draft
-- report to a scope (campaign.Scopes) for a period: the text readers see is a snapshot of the
-- draft's title and narrative as they were when it was opened (the figures are counted afresh
-- at every view of a draft, in the viewer's scope, and are not published). One consultation per
-- report (kind, period, unit); opening it again replaces the snapshot and the period and keeps
-- the comments. 纪检's version (with 举报) is never opened. Staff rows: they keep a rowid.
CREATE TABLE report_consultations (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    period     TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    basics     TEXT NOT NULL DEFAULT '' CHECK (length(basics) <= 5000),
    problems   TEXT NOT NULL DEFAULT '' CHECK (length(problems) <= 5000),
    causes     TEXT NOT NULL DEFAULT '' CHECK (length(causes) <= 5000),
    measures   TEXT NOT NULL DEFAULT '' CHECK (length(measures) <= 5000),
    scope      TEXT NOT NULL,
    open_from  TEXT NOT NULL CHECK (open_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    open_to    TEXT NOT NULL CHECK (open_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    open       INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
    -- What the office changed after the comments: the issued report says it.
    changes    TEXT NOT NULL DEFAULT '' CHECK (length(changes) <= 2000),
    opened_on  TEXT NOT NULL,
    UNIQUE (kind, period, unit),
    CHECK (open_from <= open_to)
);

-- Comments on a report's draft ARE opinions, as those on plans (plan_comments): this row is
-- written in the opinion's own transaction. No rowid and no time: the opinion ids are random.
CREATE TABLE report_comments (
    consultation_id INTEGER NOT NULL REFERENCES report_consultations(id),
    opinion_id      TEXT NOT NULL UNIQUE REFERENCES opinions(id) ON DELETE CASCADE,
    PRIMARY KEY (consultation_id, opinion_id)
) WITHOUT ROWID;
