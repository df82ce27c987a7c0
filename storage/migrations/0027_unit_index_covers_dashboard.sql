-- The unit dashboards (#12) count one unit's opinions of twelve months: at a million opinions,
-- some 80 000 of them. opinions_by_unit (unit_code, created_on, id) found them at once, but each
-- was then read from the table by its key for its 科室, type and status: 80 000 random reads of
-- rows that carry the opinion's text, 5 s or more while the file is not in memory. Here the
-- columns the dashboard and every role's scope read of opinions are put after the id, as
-- migration 0025 did for opinions_by_status: the id is unique, so they change nothing in the
-- order (the queue's unit filter still reads its pages from this index), and the dashboard
-- reads the index alone. Still one index, so a submission writes no more entries than before;
-- they are wider by the 科室 (at most 50 characters) and a few short codes. A status change
-- now also moves the entry in this index: staff do that one opinion at a time.
DROP INDEX opinions_by_unit;
CREATE INDEX opinions_by_unit ON opinions (unit_code, created_on, id, dept, type, status, mailbox_code, about_leadership);
