-- More of the queue's conditions kept beside each search document (issue #11, after 0049).
-- 0049 gave each document what the sidebar of an administrator's or a liaison's search reads;
-- a search by a department head (o.dept), by anyone an opinion may name (o.target_kind,
-- target_post, target_badge: access.Viewer.NamedIn), or with the filters people use with a
-- word (style 四风, channel, tag, problem 问题, nature, reach, campaign, submitter) still read
-- each match's opinion row by its random id, one page of a large file per match.
--
-- The columns copy opinions under the same names, so that the queue's conditions read them
-- unchanged; the many-to-many ones are lists: styles and tags hold the opinion's style codes and
-- tag codes each between spaces (' formalism hedonism '; '' for none), so that a filter is one
-- instr() over the document's row instead of a look-up by random key (the codes hold no space:
-- their CHECKs). Triggers keep them in step in the transaction of every change, as 0049's do.
-- Documents written before this migration are filled again by the indexer (search_facets.go:
-- the same resumable fill, in chunks with progress, from facets_after = 0); until it finishes
-- the sidebar reads the rows.
ALTER TABLE search_docs ADD COLUMN dept TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN target_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN target_post TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN target_badge TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN submitter TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN nature TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN reach TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN campaign_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE search_docs ADD COLUMN merged_into TEXT;
ALTER TABLE search_docs ADD COLUMN styles TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN tags TEXT NOT NULL DEFAULT '';

UPDATE search_state SET facets_built = 0, facets_after = 0 WHERE EXISTS (SELECT 1 FROM search_docs);

CREATE TRIGGER search_docs_more_facets_new AFTER INSERT ON search_docs
BEGIN
    UPDATE search_docs SET (dept, target_kind, target_post, target_badge, channel, submitter, nature, reach,
            campaign_id, merged_into, styles, tags) =
        (SELECT o.dept, o.target_kind, o.target_post, o.target_badge, o.channel, o.submitter, o.nature, o.reach,
            o.campaign_id, o.merged_into,
            COALESCE((SELECT ' ' || group_concat(s.style, ' ') || ' ' FROM opinion_styles s WHERE s.opinion_id = o.id), ''),
            COALESCE((SELECT ' ' || group_concat(t.tag, ' ') || ' ' FROM opinion_tags t WHERE t.opinion_id = o.id), '')
         FROM opinions o WHERE o.id = NEW.opinion_id)
    WHERE docid = NEW.docid;
END;

CREATE TRIGGER search_docs_follow_opinion_more
AFTER UPDATE OF dept, target_kind, target_post, target_badge, channel, submitter, nature, reach, campaign_id, merged_into
ON opinions
BEGIN
    UPDATE search_docs SET dept = NEW.dept, target_kind = NEW.target_kind, target_post = NEW.target_post,
        target_badge = NEW.target_badge, channel = NEW.channel, submitter = NEW.submitter, nature = NEW.nature,
        reach = NEW.reach, campaign_id = NEW.campaign_id, merged_into = NEW.merged_into
    WHERE opinion_id = NEW.id;
END;

CREATE TRIGGER search_docs_follow_new_style AFTER INSERT ON opinion_styles
BEGIN
    UPDATE search_docs SET styles = COALESCE((SELECT ' ' || group_concat(s.style, ' ') || ' ' FROM opinion_styles s
        WHERE s.opinion_id = NEW.opinion_id), '') WHERE opinion_id = NEW.opinion_id;
END;

CREATE TRIGGER search_docs_follow_style AFTER UPDATE ON opinion_styles
BEGIN
    UPDATE search_docs SET styles = COALESCE((SELECT ' ' || group_concat(s.style, ' ') || ' ' FROM opinion_styles s
        WHERE s.opinion_id = search_docs.opinion_id), '') WHERE opinion_id IN (OLD.opinion_id, NEW.opinion_id);
END;

CREATE TRIGGER search_docs_follow_removed_style AFTER DELETE ON opinion_styles
BEGIN
    UPDATE search_docs SET styles = COALESCE((SELECT ' ' || group_concat(s.style, ' ') || ' ' FROM opinion_styles s
        WHERE s.opinion_id = OLD.opinion_id), '') WHERE opinion_id = OLD.opinion_id;
END;

CREATE TRIGGER search_docs_follow_new_tag AFTER INSERT ON opinion_tags
BEGIN
    UPDATE search_docs SET tags = COALESCE((SELECT ' ' || group_concat(t.tag, ' ') || ' ' FROM opinion_tags t
        WHERE t.opinion_id = NEW.opinion_id), '') WHERE opinion_id = NEW.opinion_id;
END;

CREATE TRIGGER search_docs_follow_tag AFTER UPDATE ON opinion_tags
BEGIN
    UPDATE search_docs SET tags = COALESCE((SELECT ' ' || group_concat(t.tag, ' ') || ' ' FROM opinion_tags t
        WHERE t.opinion_id = search_docs.opinion_id), '') WHERE opinion_id IN (OLD.opinion_id, NEW.opinion_id);
END;

CREATE TRIGGER search_docs_follow_removed_tag AFTER DELETE ON opinion_tags
BEGIN
    UPDATE search_docs SET tags = COALESCE((SELECT ' ' || group_concat(t.tag, ' ') || ' ' FROM opinion_tags t
        WHERE t.opinion_id = OLD.opinion_id), '') WHERE opinion_id = OLD.opinion_id;
END;
