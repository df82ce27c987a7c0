-- 座谈会 (feature 10): a meeting staff held to hear opinions, and the opinions raised at it.
-- Staff-written rows: a meeting keeps a rowid and the day it was held (chosen by staff, never
-- the time of typing). The categories of those who took part are vocab.Submitters codes,
-- checked by the handlers against the list (it grows), not by a CHECK of literals here.
CREATE TABLE symposia (
    id           INTEGER PRIMARY KEY,
    held_on      TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    unit_code    TEXT NOT NULL REFERENCES units (code),
    host         TEXT NOT NULL CHECK (length(host) BETWEEN 1 AND 50),
    participants INTEGER NOT NULL CHECK (participants BETWEEN 1 AND 10000),
    note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    recorded_by  INTEGER REFERENCES users (id)
);
CREATE INDEX symposia_by_day ON symposia (held_on, unit_code);

-- Who took part, by category, in the order the form lists them.
CREATE TABLE symposium_categories (
    symposium_id INTEGER NOT NULL REFERENCES symposia (id),
    submitter    TEXT NOT NULL CHECK (length(submitter) BETWEEN 1 AND 30),
    PRIMARY KEY (symposium_id, submitter)
) WITHOUT ROWID;

-- The opinions raised at a meeting, written in the same transaction as the opinions and the
-- meeting; position keeps the order they were entered in. An opinion belongs to one meeting.
CREATE TABLE symposium_opinions (
    opinion_id   TEXT PRIMARY KEY REFERENCES opinions (id),
    symposium_id INTEGER NOT NULL REFERENCES symposia (id),
    position     INTEGER NOT NULL CHECK (position >= 1),
    UNIQUE (symposium_id, position)
) WITHOUT ROWID;
