-- PostgreSQL twin of SQLite's 0060: a unit is retired (active = 0), never deleted, and keeps its
-- code for good; and an opinion's unit is checked once per statement, not once per row
-- (#15, twelfth sitting; docs/benchmarks.md, "Twelfth sitting: PostgreSQL writer, server CPU
-- per acknowledgement").
--
-- The foreign key opinions.unit_code → units(code) ran, for every new opinion, a trigger of its
-- own after the row: a query of the unit under a FOR KEY SHARE lock (so that the unit cannot be
-- deleted or re-coded before the opinion's transaction ends), about a tenth of the server's CPU
-- per submission once the writer inserts a batch with one statement. It is replaced by what
-- guarantees the same, at the price of one query per statement:
--   * units_never_deleted, units_keep_their_code, units_never_truncated: no unit row ever goes
--     away or changes its code (as on SQLite), whoever asks, in any transaction. So no lock is
--     needed to keep a checked unit there until the opinion commits: nothing can remove it.
--   * opinions_unit_known: after each INSERT statement into opinions (the writer's batch, a
--     transcription, a symposium's items, a move's copy), one query over the statement's new
--     rows (the transition table, shared with queue_counts_new_opinion) refuses the statement,
--     with the foreign key's SQLSTATE (23503), if any row names a unit that does not exist.
--   * opinions_unit_known_on_update: an UPDATE that gives an opinion another unit is checked
--     per row, as the foreign key did (rare: staff moving an opinion).
-- The writer's statements join the units table anyway (an unknown or retired unit stores no
-- row), so the statement check never refuses their batches; it is there so that the schema,
-- not the code, keeps every opinion's unit real.
ALTER TABLE opinions DROP CONSTRAINT opinions_unit_code_fkey;

CREATE TRIGGER units_never_deleted BEFORE DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION refuse_change('a unit is retired (active = 0), never deleted');
CREATE TRIGGER units_keep_their_code BEFORE UPDATE OF code ON units
    FOR EACH ROW WHEN (old.code <> new.code) EXECUTE FUNCTION refuse_change('a unit keeps its code');
CREATE TRIGGER units_never_truncated BEFORE TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('a unit is retired (active = 0), never deleted');

CREATE FUNCTION opinions_unit_known() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing TEXT;
BEGIN
    SELECT n.unit_code INTO missing FROM new_opinions n
    WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.code = n.unit_code) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "opinions" violates the unit check: unit "%" is not present in table "units"', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER opinions_unit_known AFTER INSERT ON opinions
    REFERENCING NEW TABLE AS new_opinions
    FOR EACH STATEMENT EXECUTE FUNCTION opinions_unit_known();

CREATE FUNCTION opinions_unit_known_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM units u WHERE u.code = NEW.unit_code) THEN
        RAISE EXCEPTION 'insert or update on table "opinions" violates the unit check: unit "%" is not present in table "units"', NEW.unit_code
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER opinions_unit_known_on_update AFTER UPDATE OF unit_code ON opinions
    FOR EACH ROW WHEN (old.unit_code IS DISTINCT FROM new.unit_code) EXECUTE FUNCTION opinions_unit_known_on_update();
