-- What the queue's sidebar counts, kept beside each document of the full-text index (issue #11).
-- The sidebar of a search counts its matches by status, with the open work past its deadline,
-- within the filter and the person's scope. It used to read each match's opinion row (by its
-- random id: one page of a 1.7 GB file per match at a million opinions) and its rectification;
-- now it reads these columns of search_docs, whose rows lie in docid order, so that a common
-- word's newest matches are a few neighbouring pages.
--
-- The columns copy opinions (status, type, unit_code, mailbox_code, about_leadership,
-- created_on) and the opinion's rectification (lead_unit, deadline; NULL when it has none, as a
-- LEFT JOIN reads them) under the same names, so that the queue's own conditions (the filter's
-- and scopeSQL's, over "o" and "r") read them unchanged. Triggers keep them in step in the
-- transaction of every change to those columns, whoever makes it; a new document takes them
-- from its opinion when it is written. Documents written before this migration are filled by
-- the indexer (storage/search_facets.go) in chunks with progress printed, from
-- search_state.facets_after on, until facets_built = 1; until then the sidebar reads the rows.
ALTER TABLE search_docs ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN type TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN unit_code TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN mailbox_code TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN about_leadership INTEGER NOT NULL DEFAULT 0;
ALTER TABLE search_docs ADD COLUMN created_on TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN lead_unit TEXT;
ALTER TABLE search_docs ADD COLUMN deadline TEXT;

ALTER TABLE search_state ADD COLUMN facets_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE search_state ADD COLUMN facets_built INTEGER NOT NULL DEFAULT 0 CHECK (facets_built IN (0, 1));
UPDATE search_state SET facets_built = 1 WHERE NOT EXISTS (SELECT 1 FROM search_docs);

CREATE TRIGGER search_docs_facets_new AFTER INSERT ON search_docs
BEGIN
    UPDATE search_docs SET (status, type, unit_code, mailbox_code, about_leadership, created_on, lead_unit, deadline) =
        (SELECT o.status, o.type, o.unit_code, o.mailbox_code, o.about_leadership, o.created_on, r.lead_unit, r.deadline
         FROM opinions o LEFT JOIN rectifications r ON r.opinion_id = o.id WHERE o.id = NEW.opinion_id)
    WHERE docid = NEW.docid;
END;

CREATE TRIGGER search_docs_follow_opinion
AFTER UPDATE OF status, type, unit_code, mailbox_code, about_leadership, created_on ON opinions
BEGIN
    UPDATE search_docs SET status = NEW.status, type = NEW.type, unit_code = NEW.unit_code,
        mailbox_code = NEW.mailbox_code, about_leadership = NEW.about_leadership, created_on = NEW.created_on
    WHERE opinion_id = NEW.id;
END;

CREATE TRIGGER search_docs_follow_new_rectification AFTER INSERT ON rectifications
BEGIN
    UPDATE search_docs SET lead_unit = NEW.lead_unit, deadline = NEW.deadline WHERE opinion_id = NEW.opinion_id;
END;

CREATE TRIGGER search_docs_follow_rectification AFTER UPDATE OF opinion_id, lead_unit, deadline ON rectifications
BEGIN
    UPDATE search_docs SET lead_unit = NULL, deadline = NULL WHERE opinion_id = OLD.opinion_id;
    UPDATE search_docs SET lead_unit = NEW.lead_unit, deadline = NEW.deadline WHERE opinion_id = NEW.opinion_id;
END;

CREATE TRIGGER search_docs_follow_removed_rectification AFTER DELETE ON rectifications
BEGIN
    UPDATE search_docs SET lead_unit = NULL, deadline = NULL WHERE opinion_id = OLD.opinion_id;
END;
