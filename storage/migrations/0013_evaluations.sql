-- Democratic evaluation forms (民主评议表): at a meeting (动员大会) the invited rate the work style
-- of a unit's leadership group, tick the four-style problems they see and write suggestions.
-- The county supervision group (县委督导组) alone reads the results.
--
-- Anonymity: each attendee gets a printed slip with a one-time code. Only a keyed hash of the
-- code is stored, with whether it was used: no time of use, and nothing links an answer to the
-- code that let it in. Answers have random ids, no rowid and only the day, so nothing records
-- which came first.
CREATE TABLE evaluations (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 60),
    meeting    TEXT NOT NULL DEFAULT '' CHECK (length(meeting) <= 60),
    unit_code  TEXT NOT NULL REFERENCES units(code), -- whose leadership group is evaluated
    opens_on   TEXT NOT NULL CHECK (opens_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    closes_on  TEXT NOT NULL CHECK (closes_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_by INTEGER REFERENCES users(id),
    created_on TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    closed     INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)), -- closed early by the administrator
    CHECK (closes_on >= opens_on)
);

-- A person types only the code, so the code alone must find its evaluation: the hash is the key.
-- Rows are kept in hash order (no rowid), so not even the order of printing is recorded.
CREATE TABLE evaluation_codes (
    code_hash     BLOB PRIMARY KEY CHECK (length(code_hash) = 32),
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    used          INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX evaluation_codes_by_evaluation ON evaluation_codes (evaluation_id, used);

-- overall: 好 good, 较好 fair, 一般 average, 差 poor.
CREATE TABLE evaluation_answers (
    id            TEXT PRIMARY KEY, -- random, never sequential
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    overall       TEXT NOT NULL CHECK (overall IN ('good', 'fair', 'average', 'poor')),
    suggestions   TEXT NOT NULL DEFAULT '' CHECK (length(suggestions) <= 2000),
    created_on    TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) WITHOUT ROWID;
CREATE INDEX evaluation_answers_by_evaluation ON evaluation_answers (evaluation_id);

-- The ticked manifestations (sifeng.Manifestations codes, checked in Go).
CREATE TABLE evaluation_answer_problems (
    answer_id     TEXT NOT NULL REFERENCES evaluation_answers(id) ON DELETE CASCADE,
    manifestation TEXT NOT NULL CHECK (length(manifestation) BETWEEN 1 AND 40),
    PRIMARY KEY (answer_id, manifestation)
) WITHOUT ROWID;

-- "Other problems" written under a style.
CREATE TABLE evaluation_answer_others (
    answer_id TEXT NOT NULL REFERENCES evaluation_answers(id) ON DELETE CASCADE,
    style     TEXT NOT NULL CHECK (style IN ('formalism', 'bureaucratism', 'hedonism', 'extravagance')),
    text      TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 200),
    PRIMARY KEY (answer_id, style)
) WITHOUT ROWID;
