-- 问题 (#11): many people report the same thing, and the office handles it once. A problem is a
-- carrier opinion (which holds the one rectification, as a 重复 merge's target always did) plus
-- the opinions merged into it (status 'duplicate', merged_into = the carrier), with a title staff
-- write. Members are found through opinions.merged_into, so this table holds only what the
-- merge lacked: the problem's own random id (for links and the export), its title and the day it
-- was made. No rowid, like every table a public act touches (0017): the problem's id is random.
CREATE TABLE problems (
    id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 8 AND 20),
    carrier    TEXT NOT NULL UNIQUE REFERENCES opinions(id),
    title      TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 60),
    created_on TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) WITHOUT ROWID;

-- Existing merges become problems: every opinion that carries duplicates becomes a carrier. The
-- id is 40 random bits in hex, ten characters of the opinion ids' own alphabet (new problems get
-- opinion-style ids from Go). The day is the latest day among the carrier and its duplicates: the
-- merge happened no earlier, and no clock is read. The title is left empty here and written by
-- Go when the store opens (Store.fillProblemTitles: the first characters of the carrier's text
-- as reviewers see it, numbers masked), because masking is Go code (package redact) that SQL
-- cannot call.
INSERT INTO problems (id, carrier, title, created_on)
SELECT hex(randomblob(5)), c.id, '',
       max(c.created_on, (SELECT max(d.created_on) FROM opinions d WHERE d.merged_into = c.id))
FROM opinions c
WHERE EXISTS (SELECT 1 FROM opinions d WHERE d.merged_into = c.id)
ORDER BY c.id;
