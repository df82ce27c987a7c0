-- Campaigns (#14): the seeds run in campaigns (活动) with phases and dates: 听取意见 (the
-- collection window), 查摆问题, 整改落实, 回头看, 总结, or phases the admin names. Storage keeps
-- them; package campaign holds the rules (which phase a day is in, which campaign an item
-- belongs to, who may read a published item).
CREATE TABLE campaigns (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The opinion form's own questions for the campaign, one a line, open only in a 听取意见
    -- phase.
    questions       TEXT NOT NULL DEFAULT '',
    -- 限时办结: working days allowed by default for 立行立改 and for 限期整改.
    immediate_days  INTEGER NOT NULL DEFAULT 5 CHECK (immediate_days BETWEEN 1 AND 365),
    limited_days    INTEGER NOT NULL DEFAULT 30 CHECK (limited_days BETWEEN 1 AND 365),
    created_on      TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);

-- The units a campaign covers; none: every unit.
CREATE TABLE campaign_units (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (campaign_id, unit_code)
) WITHOUT ROWID;

-- Its phases, numbered in date order. The campaign runs from its first phase's first day to
-- its last phase's last day.
CREATE TABLE campaign_phases (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 20),
    kind        TEXT NOT NULL CHECK (kind IN ('listen', 'examine', 'rectify', 'lookback', 'summary', 'custom')),
    name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 30),
    starts_on   TEXT NOT NULL CHECK (starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    ends_on     TEXT NOT NULL CHECK (ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK (starts_on <= ends_on),
    CHECK ((kind = 'custom') = (name != '')),
    PRIMARY KEY (campaign_id, seq)
) WITHOUT ROWID;

-- What arrived in a campaign records it (0: none). No index: a campaign is read through its
-- dates (opinions_by_day), and one more B-tree on the write path costs every submission.
ALTER TABLE opinions ADD COLUMN campaign_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE surveys ADD COLUMN campaign_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evaluations ADD COLUMN campaign_id INTEGER NOT NULL DEFAULT 0;

-- The answers a person gave to the campaign's own questions on the opinion form, beside the
-- opinion (written by the public request in the opinion's transaction: no rowid, no time).
CREATE TABLE campaign_answers (
    opinion_id  TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    question_no INTEGER NOT NULL CHECK (question_no BETWEEN 1 AND 10),
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL CHECK (length(answer) BETWEEN 1 AND 2000),
    PRIMARY KEY (opinion_id, question_no)
) WITHOUT ROWID;
