-- A department head's search walked from their own documents (issue #11). A department head
-- (科室负责人) sees the work their unit leads about their 科室: a few documents in a hundred.
-- Their search for a common word walked the word's matches newest first until 50 of them were
-- in that scope: about 7 000 matches at a million opinions against the word's 1 000 at 10 000,
-- so the view grew with the table. With this index the page may instead walk the scope's own
-- documents newest first (lead_unit, dept; docid, the queue's order, last) and check the word on
-- each through its indexed tokens (search_bodies), whichever of the two lists is the shorter
-- (storage/search_narrow.go). The columns are migration 0049's and 0056's facets, kept in step
-- by their triggers; docid is named so that PostgreSQL's twin orders by it as SQLite's does.
CREATE INDEX search_docs_by_department ON search_docs (lead_unit, dept, docid);
