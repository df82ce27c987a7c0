-- Satisfaction surveys (满意度测评): an administrator builds a questionnaire for some units and a
-- period; patients answer it anonymously from a link or QR code on a poster.
--
-- Anonymity, as for opinions: a response knows its survey, unit, department (free text from the
-- poster) and the DATE it was answered, nothing about the device or the time of day. Its id is
-- random and the table has no rowid, so nothing records which response came first.
CREATE TABLE surveys (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 100),
    starts_on         TEXT NOT NULL CHECK (starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    ends_on           TEXT NOT NULL CHECK (ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- three: 满意 / 基本满意 / 不满意 stored as 3 / 2 / 1; five: a 1–5 scale.
    scale             TEXT NOT NULL CHECK (scale IN ('three', 'five')),
    free_text         TEXT NOT NULL DEFAULT '' CHECK (length(free_text) <= 100), -- '' = no free-text item
    item_threshold    INTEGER NOT NULL DEFAULT 85 CHECK (item_threshold BETWEEN 0 AND 100),
    overall_threshold INTEGER NOT NULL DEFAULT 90 CHECK (overall_threshold BETWEEN 0 AND 100),
    created_by        INTEGER REFERENCES users(id),
    created_at        TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE survey_units (
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    unit_code TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (survey_id, unit_code)
) WITHOUT ROWID;

CREATE TABLE survey_items (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 100),
    UNIQUE (survey_id, position),
    UNIQUE (survey_id, id)
);

CREATE TABLE survey_responses (
    id          TEXT PRIMARY KEY,               -- random, never sequential
    survey_id   INTEGER NOT NULL,
    unit_code   TEXT NOT NULL,
    dept        TEXT NOT NULL DEFAULT '' CHECK (length(dept) <= 50),
    answered_on TEXT NOT NULL CHECK (answered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    comment     TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    UNIQUE (survey_id, id),
    -- only a unit the survey covers
    FOREIGN KEY (survey_id, unit_code) REFERENCES survey_units(survey_id, unit_code)
) WITHOUT ROWID;
CREATE INDEX survey_responses_by_unit ON survey_responses (survey_id, unit_code, dept);

-- One answer per item per response; the composite keys make an answer to an item of another
-- survey impossible.
CREATE TABLE survey_answers (
    response_id TEXT NOT NULL,
    survey_id   INTEGER NOT NULL,
    item_id     INTEGER NOT NULL,
    value       INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (response_id, item_id),
    FOREIGN KEY (survey_id, response_id) REFERENCES survey_responses(survey_id, id) ON DELETE CASCADE,
    FOREIGN KEY (survey_id, item_id) REFERENCES survey_items(survey_id, id)
) WITHOUT ROWID;
CREATE INDEX survey_answers_by_item ON survey_answers (survey_id, item_id);
