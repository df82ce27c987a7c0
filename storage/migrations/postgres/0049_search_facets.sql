-- PostgreSQL twin of SQLite's 0049: the queue sidebar's facets beside each search document
-- (#11), kept in step by triggers of the same names (plpgsql functions of the same effect as
-- SQLite's trigger bodies, each run for every row changed, after the change).
ALTER TABLE search_docs ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN type TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN unit_code TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN mailbox_code TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN about_leadership BIGINT NOT NULL DEFAULT 0;
ALTER TABLE search_docs ADD COLUMN created_on TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN lead_unit TEXT;
ALTER TABLE search_docs ADD COLUMN deadline TEXT;

ALTER TABLE search_state ADD COLUMN facets_after BIGINT NOT NULL DEFAULT 0;
ALTER TABLE search_state ADD COLUMN facets_built BIGINT NOT NULL DEFAULT 0 CHECK (facets_built IN (0, 1));
UPDATE search_state SET facets_built = 1 WHERE NOT EXISTS (SELECT 1 FROM search_docs);

CREATE FUNCTION search_docs_facets_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET (status, type, unit_code, mailbox_code, about_leadership, created_on, lead_unit, deadline) =
        (SELECT o.status, o.type, o.unit_code, o.mailbox_code, o.about_leadership, o.created_on, r.lead_unit, r.deadline
         FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE o.id = NEW.opinion_id)
    WHERE docid = NEW.docid;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_facets_new AFTER INSERT ON search_docs
    FOR EACH ROW EXECUTE FUNCTION search_docs_facets_new();

CREATE FUNCTION search_docs_follow_opinion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET status = NEW.status, type = NEW.type, unit_code = NEW.unit_code,
        mailbox_code = NEW.mailbox_code, about_leadership = NEW.about_leadership, created_on = NEW.created_on
    WHERE opinion_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_follow_opinion
    AFTER UPDATE OF status, type, unit_code, mailbox_code, about_leadership, created_on ON opinions
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_opinion();

CREATE FUNCTION search_docs_follow_new_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET lead_unit = NEW.lead_unit, deadline = NEW.deadline WHERE opinion_id = NEW.opinion_id;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_follow_new_rectification AFTER INSERT ON rectifications
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_new_rectification();

CREATE FUNCTION search_docs_follow_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET lead_unit = NULL, deadline = NULL WHERE opinion_id = OLD.opinion_id;
    UPDATE search_docs SET lead_unit = NEW.lead_unit, deadline = NEW.deadline WHERE opinion_id = NEW.opinion_id;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_follow_rectification AFTER UPDATE OF opinion_id, lead_unit, deadline ON rectifications
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_rectification();

CREATE FUNCTION search_docs_follow_removed_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET lead_unit = NULL, deadline = NULL WHERE opinion_id = OLD.opinion_id;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_follow_removed_rectification AFTER DELETE ON rectifications
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_removed_rectification();
