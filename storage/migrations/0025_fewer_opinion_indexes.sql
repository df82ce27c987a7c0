-- Fewer indexes on opinions, for the write path (#11): every public submission inserted into
-- each of them, at a random place (ids are random, and must be: nothing may keep the order of
-- arrival), and that was most of the single writer's work per opinion. A web submission now
-- goes into the table, the receipt index, opinions_by_day, opinions_by_status and
-- opinions_by_unit; the partial indexes below hold none of it. EXPLAIN QUERY PLAN of every
-- queue filter and of the sidebar counts, before and after: docs/benchmarks.md.
--
-- One index where there were two: opinions_by_status (status, created_on, id) gave the queue's
-- one-status page its order, and opinions_counts (status, type, mailbox_code, unit_code,
-- channel, created_on, id) let the sidebar counts read an index instead of the rows. Put the
-- columns the counts read after the id: the id is unique, so they change nothing in the order,
-- and the one index does both.
DROP INDEX opinions_counts;
DROP INDEX opinions_by_status;
CREATE INDEX opinions_by_status ON opinions (status, created_on, id, type, mailbox_code, unit_code, channel);
-- The queue's channel filter is for the offline channels (a box, letters, calls that staff typed
-- in); the web and the posters' QR codes are most of everything and their filter finds a page
-- at once in opinions_by_day. So only the offline channels are indexed, and the public form's
-- submissions are not (the filter says channel NOT IN ('web', 'qr') for the planner: see
-- OpinionFilter.where).
DROP INDEX opinions_by_channel;
CREATE INDEX opinions_by_channel ON opinions (channel, created_on, id) WHERE channel NOT IN ('web', 'qr');
