-- Staff accounts can be disabled rather than deleted: their name stays on the audit log and on
-- the notes they wrote, but they can no longer log in and their sessions stop working.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));

-- Days the administrator sets as worked (上班, a swapped weekend) or off (放假), for years the
-- holiday table shipped with lunar-go does not cover yet, or to correct it. An override wins
-- over the library and over the weekday rule.
CREATE TABLE calendar_overrides (
    day  TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    work INTEGER NOT NULL CHECK (work IN (0, 1)),
    name TEXT NOT NULL DEFAULT ''
);
