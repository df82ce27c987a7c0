-- 回头看 of a campaign (#14, features 39 and 41): on the campaign's 回头看 day every open
-- rectification of the campaign goes on the 督导组's review list; a lagging one (overdue, or
-- near its deadline with nothing reported) must carry the lead unit's 原因分析 and 加快措施.
-- One row per opinion and campaign, the latest words; each recording is in the audit log
-- (lookback_note). Written by staff only.
CREATE TABLE lookback_notes (
    opinion_id  TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    cause       TEXT NOT NULL CHECK (length(cause) BETWEEN 1 AND 1000),
    measures    TEXT NOT NULL CHECK (length(measures) BETWEEN 1 AND 1000),
    recorded_on TEXT NOT NULL CHECK (recorded_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (campaign_id, opinion_id)
) WITHOUT ROWID;
