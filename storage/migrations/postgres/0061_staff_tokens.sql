-- A GIN index over the staff documents' tokens alone (docids from 2^40, search_index.go's
-- staffDocBase), for reading a search's newest matches (storage/search_newest.go). GIN returns a
-- word's matches as one unordered bitmap, so the newest are found in windows of docids; among the
-- staff documents a word common in opinions may be rare, and windows there would read hundreds
-- of thousands of rows for a few matches. This index gives the staff documents' matches from a
-- bitmap of their own, as small as they are few. The condition is written docid + 0, and the
-- query repeats it word for word: the planner can prove this index applies, and cannot read the
-- staff documents by the primary key instead (newest first, filtering a rare word row by row).
CREATE INDEX search_index_staff_tokens ON search_index USING gin (tokens) WHERE docid + 0 > 1099511627776;
