-- The queue's full-text index (issue #11): SQLite FTS4 over the folded, masked text, tokens
-- written by package fulltext (character bigrams of Chinese, whole ASCII words) for FTS4's
-- default "simple" tokenizer. instr() over every row cost seconds at a million opinions.
--
-- Anonymity: FTS4 writes one new segment per commit, so indexing an opinion in its submission's
-- transaction would record the order in which a day's opinions arrived (see 0017). An
-- opinion's own text is therefore indexed a whole finished day at a time by the indexer
-- (storage/search_index.go), docids given in (created_on, id) order and dense; opinions of days
-- not yet indexed (today) are searched by reading their rows. No public request writes here.
--
-- body holds the tokens; text, not indexed, the folded, masked text a staff document's exact
-- check reads (an opinion's own document leaves it empty: opinions.search_text holds it).
-- Content is stored so that a document can be deleted and written again. matchinfo=fts3: no
-- per-document size table, which nothing here reads.
CREATE VIRTUAL TABLE search_index USING fts4(body, text, notindexed=text, matchinfo=fts3);

-- What each document is: an opinion's own text ('opinion', docids 1, 2, … in (created_on, id)
-- order) or the staff's text about it ('staff': its reply, rectification text and internal
-- notes, written in the staff action's own transaction; docids from 2^40 up).
CREATE TABLE search_docs (
    docid      INTEGER PRIMARY KEY,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('opinion', 'staff')),
    UNIQUE (opinion_id, kind)
);

-- Document frequencies of nearby's terms over the opinions' own documents (nearby.Stats for
-- the near-duplicate look-up): how many indexed opinions hold the term at least once.
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL CHECK (docs > 0)
) WITHOUT ROWID;

-- The indexer's state: every opinion created on or before indexed_through has its document;
-- docs is how many opinion documents there are (the last docid given); staff_built is 0 until
-- the staff documents of opinions stored before this migration are written; rebuild asks the
-- indexer to start again (the seed tool inserts old-dated opinions into indexed days).
CREATE TABLE search_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through TEXT NOT NULL DEFAULT '',
    docs            INTEGER NOT NULL DEFAULT 0,
    staff_built     INTEGER NOT NULL DEFAULT 0 CHECK (staff_built IN (0, 1)),
    rebuild         INTEGER NOT NULL DEFAULT 0 CHECK (rebuild IN (0, 1))
);
INSERT INTO search_state (id) VALUES (1);
