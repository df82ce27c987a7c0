-- 满意度回访 in rounds. A 不满意 sends the work back (补课返工); when it comes back to 满意度回访
-- that is a new round, which the submitter answers again and which 销号 waits for. Each move
-- into 满意度回访 counts one round; a rating belongs to the round it was given in.
ALTER TABLE rectifications ADD COLUMN visit_round INTEGER NOT NULL DEFAULT 0;

-- The result of the latest check of reported work: 核验 (reported → 回头看 or back to 整改中)
-- and 回头看 (→ 满意度回访 or back to 整改中); '' before any. lifecycle.Checks names them.
ALTER TABLE rectifications ADD COLUMN checked TEXT NOT NULL DEFAULT ''
    CHECK (checked IN ('', 'verified', 'unverified', 'passed', 'failed'));

-- Both are read back from the audit log, where every move was recorded as "from→to".
UPDATE rectifications SET visit_round = (
    SELECT count(*) FROM audit_log a
    WHERE a.opinion_id = rectifications.opinion_id AND a.action = 'status' AND a.detail LIKE '%→satisfaction');
UPDATE rectifications SET checked = COALESCE((
    SELECT CASE a.detail
        WHEN 'reported→lookback' THEN 'verified'
        WHEN 'reported→rectifying' THEN 'unverified'
        WHEN 'lookback→satisfaction' THEN 'passed'
        WHEN 'lookback→rectifying' THEN 'failed' END
    FROM audit_log a
    WHERE a.opinion_id = rectifications.opinion_id AND a.action = 'status'
      AND a.detail IN ('reported→lookback', 'reported→rectifying', 'lookback→satisfaction', 'lookback→rectifying')
    ORDER BY a.id DESC LIMIT 1), '');

-- A rating per receipt and round. Which round an older rating answered was not recorded; they
-- are put in round 1, so that an opinion already in a later round waits for a new answer
-- rather than being closed on an old one.
CREATE TABLE ratings_by_round (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    round      INTEGER NOT NULL CHECK (round >= 1),
    rating     TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically', 'dissatisfied')),
    words      TEXT NOT NULL DEFAULT '',
    rated_on   TEXT NOT NULL CHECK (rated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    PRIMARY KEY (opinion_id, round)
) WITHOUT ROWID; -- as 0017 made it: no rowid to order a day's ratings by
INSERT INTO ratings_by_round (opinion_id, round, rating, words, rated_on)
    SELECT opinion_id, 1, rating, words, rated_on FROM ratings ORDER BY opinion_id;
DROP TABLE ratings;
ALTER TABLE ratings_by_round RENAME TO ratings;
