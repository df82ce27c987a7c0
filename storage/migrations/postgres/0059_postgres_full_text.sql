-- PostgreSQL's full-text index (#15), the twin of SQLite's FTS4 table search_index (0023, 0037):
-- the same documents, the same tokens (package fulltext: bigrams and lone last characters of
-- the folded, masked Chinese text, lowercase ASCII words), the same queries (fulltext.TSQuery
-- spells FTS4's phrases, prefixes, AND and OR as tsquery).
--
-- search_index (docid, body) is already written by the same statements as on SQLite
-- (search_reorder.go putDoc, dropDoc): body is the token text, tokens separated by spaces. Its
-- tsvector is a generated column: each token at its position in the text, as FTS4 numbers
-- them, so that a phrase is tokens at consecutive positions ('门难' <-> '难进'). It is built by
-- casting "'tok':pos …" to tsvector, not by to_tsvector: PostgreSQL's parser would split the
-- Chinese text its own way. No text search configuration is involved. A GIN index over it
-- finds a token's documents, and a token's prefix ('进':* , one Chinese character as in FTS4's
-- prefix="3").
--
-- PostgreSQL keeps at most 256 positions of one token in a document, and none past 16383: a
-- phrase found only past those in one very long staff document is missed there (opinions are
-- far shorter). A token longer than tsvector allows (2 KB: an absurd run of Latin letters) is
-- cut to 500 bytes, as it could not be searched for anyway (queries are 50 characters).
--
-- json_each(text): SQLite's json_each over a bound JSON array (a scalar, such as the null of an
-- empty Go slice, is one row, as there), with the one column the shared SQL reads, value, as text (the shared SQL casts it to BIGINT where it holds docids). With an
-- argument of unknown type PostgreSQL prefers this text form to its own json_each(json).
--
-- Anonymity as on SQLite: an opinion's own document is written by the indexer a whole finished
-- day at a time in id order (search_index.go), never in its submission's transaction.

CREATE FUNCTION search_tokens(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(string_agg('''' || replace(replace(left(t, 500), '\', '\\'), '''', '''''') || ''':' || least(n, 16383), ' ')::tsvector,
        ''::tsvector)
    FROM unnest(string_to_array(body, ' ')) WITH ORDINALITY AS u(t, n) WHERE t <> ''
$$;

ALTER TABLE search_index ADD COLUMN tokens tsvector GENERATED ALWAYS AS (search_tokens(body)) STORED;
CREATE INDEX search_index_tokens ON search_index USING gin (tokens);

CREATE FUNCTION json_each(list text) RETURNS TABLE (value text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 100 AS $$
    SELECT json_array_elements_text(CASE WHEN json_typeof(list::json) = 'array' THEN list::json
        ELSE json_build_array(list::json) END)
$$;

-- The export's JSON (storage/export_rows.go): SQLite's json_array over text arguments (the
-- shared SQL casts its numbers to TEXT) and its aggregate json_group_array, which is
-- PostgreSQL's json_agg under SQLite's name.
CREATE FUNCTION json_array(VARIADIC items text[]) RETURNS json
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT array_to_json(items)';
CREATE AGGREGATE json_group_array(anyelement) (
    SFUNC = json_agg_transfn, STYPE = internal, FINALFUNC = json_agg_finalfn);
