-- The full-text index read newest first (issue #11). A common word's first page wants its newest
-- matches (ORDER BY docid DESC, the queue's order); 0023's table made FTS4 read the word's whole
-- list of documents for it (100 000 of them at a million opinions): it stores each list oldest
-- first, and for a phrase in a big table FTS4 loads whole lists to choose which words to check
-- later. Now:
--   - order=DESC stores the lists newest first, so ORDER BY docid DESC … LIMIT n reads them
--     incrementally, only as far as it returns;
--   - the documents' token text is kept in an ordinary table (content=search_bodies, "external
--     content"), for which FTS4 never loads whole lists to choose words to defer;
--   - prefix="3" keeps an index of each token's first three bytes (one Chinese character in
--     UTF-8), so that a one-character query (贵*) reads one list incrementally instead of
--     merging the whole lists of every bigram that starts with it.
-- Docids stay as they were; search_docs and search_terms are untouched. The old table is renamed
-- and the indexer (storage/search_reorder.go) copies its documents across in chunks with
-- progress printed, merges the new index's segments and drops the old table, at start-up before
-- the portal takes requests. The indexer writes search_bodies and search_index together, and
-- removes a document from search_index before its row in search_bodies changes (FTS4 reads the
-- old tokens there to remove them).
ALTER TABLE search_index RENAME TO search_index_asc;
CREATE TABLE search_bodies (
    docid INTEGER PRIMARY KEY,
    body  TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_index USING fts4(content="search_bodies", body, matchinfo=fts3, order=DESC, prefix="3");
