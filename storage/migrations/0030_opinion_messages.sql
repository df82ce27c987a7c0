-- The conversation around an opinion (#13): staff ask the submitter a question or tell them
-- something, and the submitter, with the receipt code at /track, answers a question or adds
-- information to their own opinion. Every row here is visible to the submitter: what staff
-- keep to themselves is an internal note (opinion_notes), never a message.
--
-- The submitter writes here from a public route, so the table keeps the promises of 0016 and
-- 0017: the DAY only (the CHECK admits a date and nothing else), a random key, no rowid. Rows
-- are stored in the order of their random key; nothing records in what order they arrived.
--
-- How a thread is shown in order without storing the order of arrival:
--  * a staff message carries seq, 1, 2, … per opinion. Staff acts are audited with their time
--    anyway (audit_log), so their order is no secret;
--  * a submitter's answer names the question it answers (answers) and is shown after it;
--  * a submitter's addition belongs to its day: it is shown after the staff messages of its
--    day and before those of later days.
-- Two submitter rows in the same place (two answers to one question, two additions of a day)
-- are shown in the order of their random key, which says nothing.
CREATE TABLE opinion_messages (
    id         TEXT PRIMARY KEY,                 -- random, never sequential
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    side       TEXT NOT NULL CHECK (side IN ('staff', 'submitter')),
    author_id  INTEGER REFERENCES users(id),     -- the staff member who wrote it; NULL for the submitter
    kind       TEXT NOT NULL CHECK (kind IN ('question', 'message', 'answer', 'addition')),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    day        TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    seq        INTEGER CHECK (seq > 0),          -- staff messages only: their order in the thread
    answers    TEXT REFERENCES opinion_messages(id) ON DELETE CASCADE, -- an answer: the question
    CHECK ((side = 'staff') = (author_id IS NOT NULL)),
    CHECK ((side = 'staff') = (seq IS NOT NULL)),
    CHECK ((side = 'staff') = (kind IN ('question', 'message'))),
    CHECK ((kind = 'answer') = (answers IS NOT NULL)),
    UNIQUE (opinion_id, seq)
) WITHOUT ROWID;
CREATE INDEX opinion_messages_by_answer ON opinion_messages (answers) WHERE answers IS NOT NULL;
