-- The queue sidebar's counts, kept as rows change instead of counted at every view (#15).
--
-- The sidebar counts the opinions a person may see in each status, and the open work past its
-- deadline (逾期). Counted from the rows, that is a pass over every opinion of the scope at each
-- view: a covering index on SQLite, but on PostgreSQL 60 000 heap pages and a join to the
-- rectifications at a million opinions (docs/benchmarks.md). These two tables hold the same
-- figures as counts per group of the columns the queue's filters and the scopes that do not
-- read the rectification look at (status, unit, type, mailbox), so that a view sums a few
-- hundred rows whatever the number of opinions:
--
--   queue_counts: opinions per (status, unit_code, type, mailbox_code);
--   queue_overdue_counts: open work (lifecycle.Open: assigned, rectifying, reported, lookback)
--     whose rectification has a deadline, per (deadline, unit_code, type, mailbox_code), and
--     once more under the deadline '' (all of the group's open work with a deadline). Which
--     deadlines have passed no trigger can know (the day changes, not the rows), so the overdue
--     count is the '' rows less the rows due today or later: a sum over the deadlines still
--     ahead (weeks of them), not over every deadline that ever passed, which grows with the
--     years of work kept.
--
-- The columns keep the opinions' names, so that the queue's own conditions over "o" read them
-- unchanged (storage/queue_counts.go). Triggers change them in the transaction of every change
-- of those columns, whoever makes it, by an upsert of +1 or -1 per row changed (two for the open work's); a row whose
-- count falls to 0 stays (there are only as many as the groups). slot is always 0 here; on
-- PostgreSQL it spreads the counts over a few rows per group, so that concurrent transactions
-- (several portal processes) do not queue on one row's lock until their commits. Counts only:
-- no order of arrival is kept.
CREATE TABLE queue_counts (
    status       TEXT NOT NULL,
    unit_code    TEXT NOT NULL,
    type         TEXT NOT NULL,
    mailbox_code TEXT NOT NULL,
    slot         INTEGER NOT NULL DEFAULT 0,
    n            INTEGER NOT NULL,
    PRIMARY KEY (status, unit_code, type, mailbox_code, slot)
) WITHOUT ROWID;

CREATE TABLE queue_overdue_counts (
    deadline     TEXT NOT NULL,
    unit_code    TEXT NOT NULL,
    type         TEXT NOT NULL,
    mailbox_code TEXT NOT NULL,
    slot         INTEGER NOT NULL DEFAULT 0,
    n            INTEGER NOT NULL,
    PRIMARY KEY (deadline, unit_code, type, mailbox_code, slot)
) WITHOUT ROWID;

INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
SELECT status, unit_code, type, mailbox_code, 0, count(*) FROM opinions
GROUP BY status, unit_code, type, mailbox_code;

INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
SELECT CASE k.whole WHEN 1 THEN '' ELSE r.deadline END, o.unit_code, o.type, o.mailbox_code, 0, count(*)
FROM opinions o JOIN rectifications r ON r.opinion_id = o.id, (SELECT 0 AS whole UNION ALL SELECT 1) k
WHERE r.deadline != '' AND o.status IN ('assigned', 'rectifying', 'reported', 'lookback')
GROUP BY CASE k.whole WHEN 1 THEN '' ELSE r.deadline END, o.unit_code, o.type, o.mailbox_code;

-- A new opinion: one upsert (it has no rectification yet: that row refers to it).
CREATE TRIGGER queue_counts_new_opinion AFTER INSERT ON opinions
BEGIN
    INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
    VALUES (NEW.status, NEW.unit_code, NEW.type, NEW.mailbox_code, 0, 1)
    ON CONFLICT (status, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_counts.n + excluded.n;
END;

CREATE TRIGGER queue_counts_follow_opinion AFTER UPDATE OF status, unit_code, type, mailbox_code ON opinions
WHEN OLD.status != NEW.status OR OLD.unit_code != NEW.unit_code OR OLD.type != NEW.type OR OLD.mailbox_code != NEW.mailbox_code
BEGIN
    INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
    VALUES (OLD.status, OLD.unit_code, OLD.type, OLD.mailbox_code, 0, -1)
    ON CONFLICT (status, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_counts.n + excluded.n;
    INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
    VALUES (NEW.status, NEW.unit_code, NEW.type, NEW.mailbox_code, 0, 1)
    ON CONFLICT (status, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_counts.n + excluded.n;
    INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
    SELECT CASE k.whole WHEN 1 THEN '' ELSE r.deadline END, OLD.unit_code, OLD.type, OLD.mailbox_code, 0, -1 FROM rectifications r
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) k
    WHERE r.opinion_id = OLD.id AND r.deadline != '' AND OLD.status IN ('assigned', 'rectifying', 'reported', 'lookback')
    ON CONFLICT (deadline, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_overdue_counts.n + excluded.n;
    INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
    SELECT CASE k.whole WHEN 1 THEN '' ELSE r.deadline END, NEW.unit_code, NEW.type, NEW.mailbox_code, 0, 1 FROM rectifications r
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) k
    WHERE r.opinion_id = NEW.id AND r.deadline != '' AND NEW.status IN ('assigned', 'rectifying', 'reported', 'lookback')
    ON CONFLICT (deadline, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_overdue_counts.n + excluded.n;
END;

-- An opinion removed: its rectification goes first, explicitly, while the opinion can still be
-- read (its trigger below takes the open work's count back); the cascade then finds nothing.
CREATE TRIGGER queue_counts_removed_opinion_work BEFORE DELETE ON opinions
BEGIN
    DELETE FROM rectifications WHERE opinion_id = OLD.id;
END;

CREATE TRIGGER queue_counts_removed_opinion AFTER DELETE ON opinions
BEGIN
    INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
    VALUES (OLD.status, OLD.unit_code, OLD.type, OLD.mailbox_code, 0, -1)
    ON CONFLICT (status, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_counts.n + excluded.n;
END;

CREATE TRIGGER queue_counts_new_rectification AFTER INSERT ON rectifications
WHEN NEW.deadline != ''
BEGIN
    INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
    SELECT CASE k.whole WHEN 1 THEN '' ELSE NEW.deadline END, o.unit_code, o.type, o.mailbox_code, 0, 1 FROM opinions o
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) k
    WHERE o.id = NEW.opinion_id AND o.status IN ('assigned', 'rectifying', 'reported', 'lookback')
    ON CONFLICT (deadline, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_overdue_counts.n + excluded.n;
END;

CREATE TRIGGER queue_counts_follow_rectification AFTER UPDATE OF opinion_id, deadline ON rectifications
WHEN OLD.opinion_id != NEW.opinion_id OR OLD.deadline != NEW.deadline
BEGIN
    INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
    SELECT CASE k.whole WHEN 1 THEN '' ELSE OLD.deadline END, o.unit_code, o.type, o.mailbox_code, 0, -1 FROM opinions o
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) k
    WHERE o.id = OLD.opinion_id AND OLD.deadline != '' AND o.status IN ('assigned', 'rectifying', 'reported', 'lookback')
    ON CONFLICT (deadline, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_overdue_counts.n + excluded.n;
    INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
    SELECT CASE k.whole WHEN 1 THEN '' ELSE NEW.deadline END, o.unit_code, o.type, o.mailbox_code, 0, 1 FROM opinions o
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) k
    WHERE o.id = NEW.opinion_id AND NEW.deadline != '' AND o.status IN ('assigned', 'rectifying', 'reported', 'lookback')
    ON CONFLICT (deadline, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_overdue_counts.n + excluded.n;
END;

CREATE TRIGGER queue_counts_removed_rectification AFTER DELETE ON rectifications
WHEN OLD.deadline != ''
BEGIN
    INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
    SELECT CASE k.whole WHEN 1 THEN '' ELSE OLD.deadline END, o.unit_code, o.type, o.mailbox_code, 0, -1 FROM opinions o
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) k
    WHERE o.id = OLD.opinion_id AND o.status IN ('assigned', 'rectifying', 'reported', 'lookback')
    ON CONFLICT (deadline, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_overdue_counts.n + excluded.n;
END;
