-- PostgreSQL twin of SQLite's 0056: more of the queue's conditions beside each search document
-- (#11), the same columns, kept in step by triggers of the same names (plpgsql functions of the
-- same effect as SQLite's trigger bodies, run for every row changed, after the change).
ALTER TABLE search_docs ADD COLUMN dept TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN target_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN target_post TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN target_badge TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN submitter TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN nature TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN reach TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN campaign_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE search_docs ADD COLUMN merged_into TEXT;
ALTER TABLE search_docs ADD COLUMN styles TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN tags TEXT NOT NULL DEFAULT '';

UPDATE search_state SET facets_built = 0, facets_after = 0 WHERE EXISTS (SELECT 1 FROM search_docs);

-- The lists of an opinion's style codes and tag codes, each between spaces ('' for none).
CREATE FUNCTION search_docs_styles_of(id TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT COALESCE(' ' || string_agg(s.style, ' ') || ' ', '') FROM opinion_styles s WHERE s.opinion_id = id
$$;
CREATE FUNCTION search_docs_tags_of(id TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT COALESCE(' ' || string_agg(t.tag, ' ') || ' ', '') FROM opinion_tags t WHERE t.opinion_id = id
$$;

CREATE FUNCTION search_docs_more_facets_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET (dept, target_kind, target_post, target_badge, channel, submitter, nature, reach,
            campaign_id, merged_into, styles, tags) =
        (SELECT o.dept, o.target_kind, o.target_post, o.target_badge, o.channel, o.submitter, o.nature, o.reach,
            o.campaign_id, o.merged_into, search_docs_styles_of(o.id), search_docs_tags_of(o.id)
         FROM opinions o WHERE o.id = NEW.opinion_id)
    WHERE docid = NEW.docid;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_more_facets_new AFTER INSERT ON search_docs
    FOR EACH ROW EXECUTE FUNCTION search_docs_more_facets_new();

CREATE FUNCTION search_docs_follow_opinion_more() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_docs SET dept = NEW.dept, target_kind = NEW.target_kind, target_post = NEW.target_post,
        target_badge = NEW.target_badge, channel = NEW.channel, submitter = NEW.submitter, nature = NEW.nature,
        reach = NEW.reach, campaign_id = NEW.campaign_id, merged_into = NEW.merged_into
    WHERE opinion_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_follow_opinion_more
    AFTER UPDATE OF dept, target_kind, target_post, target_badge, channel, submitter, nature, reach, campaign_id, merged_into
    ON opinions FOR EACH ROW EXECUTE FUNCTION search_docs_follow_opinion_more();

-- One function for the styles' three triggers, one for the tags': the lists of the opinions the
-- changed row belonged to and belongs to, written again.
CREATE FUNCTION search_docs_follow_styles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE search_docs SET styles = search_docs_styles_of(OLD.opinion_id) WHERE opinion_id = OLD.opinion_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE search_docs SET styles = search_docs_styles_of(NEW.opinion_id) WHERE opinion_id = NEW.opinion_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_follow_new_style AFTER INSERT ON opinion_styles
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_styles();
CREATE TRIGGER search_docs_follow_style AFTER UPDATE ON opinion_styles
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_styles();
CREATE TRIGGER search_docs_follow_removed_style AFTER DELETE ON opinion_styles
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_styles();

CREATE FUNCTION search_docs_follow_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE search_docs SET tags = search_docs_tags_of(OLD.opinion_id) WHERE opinion_id = OLD.opinion_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE search_docs SET tags = search_docs_tags_of(NEW.opinion_id) WHERE opinion_id = NEW.opinion_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_docs_follow_new_tag AFTER INSERT ON opinion_tags
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_tags();
CREATE TRIGGER search_docs_follow_tag AFTER UPDATE ON opinion_tags
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_tags();
CREATE TRIGGER search_docs_follow_removed_tag AFTER DELETE ON opinion_tags
    FOR EACH ROW EXECUTE FUNCTION search_docs_follow_tags();
