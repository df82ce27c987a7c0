-- PostgreSQL twin of SQLite's 0062: the queue sidebar's counts kept as rows change (#15; see
-- the SQLite file for what they hold, the deadline '' rows included). The triggers are plpgsql functions of the same effect.
-- slot is the server process's id modulo 8: concurrent transactions of different connections
-- mostly add to rows of their own, so that one group's row (a unit's new opinions) is not a
-- lock that every writer's transaction holds until its commit; the sidebar sums the slots.
-- Half of each page is left free, so that a count's update stays on its page (a HOT update).
CREATE TABLE queue_counts (
    status       TEXT NOT NULL,
    unit_code    TEXT NOT NULL,
    type         TEXT NOT NULL,
    mailbox_code TEXT NOT NULL,
    slot         BIGINT NOT NULL DEFAULT 0,
    n            BIGINT NOT NULL,
    PRIMARY KEY (status, unit_code, type, mailbox_code, slot)
) WITH (fillfactor = 50);

CREATE TABLE queue_overdue_counts (
    deadline     TEXT NOT NULL,
    unit_code    TEXT NOT NULL,
    type         TEXT NOT NULL,
    mailbox_code TEXT NOT NULL,
    slot         BIGINT NOT NULL DEFAULT 0,
    n            BIGINT NOT NULL,
    PRIMARY KEY (deadline, unit_code, type, mailbox_code, slot)
) WITH (fillfactor = 50);

INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
SELECT status, unit_code, type, mailbox_code, 0, count(*) FROM opinions
GROUP BY status, unit_code, type, mailbox_code ORDER BY 1, 2, 3, 4;

INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
SELECT CASE k.whole WHEN 1 THEN '' ELSE r.deadline END, o.unit_code, o.type, o.mailbox_code, 0, count(*)
FROM opinions o JOIN rectifications r ON r.opinion_id = o.id, (SELECT 0 AS whole UNION ALL SELECT 1) k
WHERE r.deadline != '' AND o.status IN ('assigned', 'rectifying', 'reported', 'lookback')
GROUP BY CASE k.whole WHEN 1 THEN '' ELSE r.deadline END, o.unit_code, o.type, o.mailbox_code ORDER BY 1, 2, 3, 4;
-- The rows in key order: each group's whole (deadline '') on the first pages, the deadlines
-- ahead on the last, as the later ones are added. The planner is told what the tables hold.
ANALYZE queue_counts, queue_overdue_counts;

-- add_queue_count adds delta to one group's row of this connection's slot; add_overdue_count
-- to the deadline's row and to the group's whole (deadline '').
CREATE FUNCTION add_queue_count(s TEXT, u TEXT, t TEXT, m TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
    VALUES (s, u, t, m, pg_backend_pid() % 8, delta)
    ON CONFLICT (status, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_counts.n + excluded.n;
$$;

CREATE FUNCTION add_overdue_count(d TEXT, u TEXT, t TEXT, m TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO queue_overdue_counts (deadline, unit_code, type, mailbox_code, slot, n)
    VALUES (d, u, t, m, pg_backend_pid() % 8, delta), ('', u, t, m, pg_backend_pid() % 8, delta)
    ON CONFLICT (deadline, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_overdue_counts.n + excluded.n;
$$;

-- New opinions are counted once a statement, not once a row: the writer inserts a whole batch
-- of submissions with one statement (opinion_batch.go), and one upsert per group of the batch
-- costs the server far less than a function call and an upsert per row. The transition table
-- holds only the rows inserted (a row skipped by ON CONFLICT is not counted).
CREATE FUNCTION queue_counts_new_opinion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO queue_counts (status, unit_code, type, mailbox_code, slot, n)
    SELECT status, unit_code, type, mailbox_code, pg_backend_pid() % 8, count(*)
    FROM new_opinions GROUP BY status, unit_code, type, mailbox_code
    ON CONFLICT (status, unit_code, type, mailbox_code, slot) DO UPDATE SET n = queue_counts.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_counts_new_opinion AFTER INSERT ON opinions
    REFERENCING NEW TABLE AS new_opinions
    FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_new_opinion();

CREATE FUNCTION queue_counts_follow_opinion() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d TEXT;
BEGIN
    PERFORM add_queue_count(OLD.status, OLD.unit_code, OLD.type, OLD.mailbox_code, -1);
    PERFORM add_queue_count(NEW.status, NEW.unit_code, NEW.type, NEW.mailbox_code, 1);
    SELECT r.deadline INTO d FROM rectifications r WHERE r.opinion_id = NEW.id AND r.deadline != '';
    IF d IS NOT NULL THEN
        IF OLD.status IN ('assigned', 'rectifying', 'reported', 'lookback') THEN
            PERFORM add_overdue_count(d, OLD.unit_code, OLD.type, OLD.mailbox_code, -1);
        END IF;
        IF NEW.status IN ('assigned', 'rectifying', 'reported', 'lookback') THEN
            PERFORM add_overdue_count(d, NEW.unit_code, NEW.type, NEW.mailbox_code, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_counts_follow_opinion AFTER UPDATE OF status, unit_code, type, mailbox_code ON opinions
    FOR EACH ROW WHEN (OLD.status != NEW.status OR OLD.unit_code != NEW.unit_code OR OLD.type != NEW.type
        OR OLD.mailbox_code != NEW.mailbox_code)
    EXECUTE FUNCTION queue_counts_follow_opinion();

CREATE FUNCTION queue_counts_removed_opinion_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM rectifications WHERE opinion_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER queue_counts_removed_opinion_work BEFORE DELETE ON opinions
    FOR EACH ROW EXECUTE FUNCTION queue_counts_removed_opinion_work();

CREATE FUNCTION queue_counts_removed_opinion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM add_queue_count(OLD.status, OLD.unit_code, OLD.type, OLD.mailbox_code, -1);
    RETURN NULL;
END $$;
CREATE TRIGGER queue_counts_removed_opinion AFTER DELETE ON opinions
    FOR EACH ROW EXECUTE FUNCTION queue_counts_removed_opinion();

CREATE FUNCTION queue_counts_new_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o opinions%ROWTYPE;
BEGIN
    SELECT * INTO o FROM opinions WHERE id = NEW.opinion_id AND status IN ('assigned', 'rectifying', 'reported', 'lookback');
    IF FOUND THEN
        PERFORM add_overdue_count(NEW.deadline, o.unit_code, o.type, o.mailbox_code, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_counts_new_rectification AFTER INSERT ON rectifications
    FOR EACH ROW WHEN (NEW.deadline != '') EXECUTE FUNCTION queue_counts_new_rectification();

CREATE FUNCTION queue_counts_follow_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o opinions%ROWTYPE;
BEGIN
    IF OLD.deadline != '' THEN
        SELECT * INTO o FROM opinions WHERE id = OLD.opinion_id AND status IN ('assigned', 'rectifying', 'reported', 'lookback');
        IF FOUND THEN
            PERFORM add_overdue_count(OLD.deadline, o.unit_code, o.type, o.mailbox_code, -1);
        END IF;
    END IF;
    IF NEW.deadline != '' THEN
        SELECT * INTO o FROM opinions WHERE id = NEW.opinion_id AND status IN ('assigned', 'rectifying', 'reported', 'lookback');
        IF FOUND THEN
            PERFORM add_overdue_count(NEW.deadline, o.unit_code, o.type, o.mailbox_code, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_counts_follow_rectification AFTER UPDATE OF opinion_id, deadline ON rectifications
    FOR EACH ROW WHEN (OLD.opinion_id != NEW.opinion_id OR OLD.deadline != NEW.deadline)
    EXECUTE FUNCTION queue_counts_follow_rectification();

CREATE FUNCTION queue_counts_removed_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o opinions%ROWTYPE;
BEGIN
    SELECT * INTO o FROM opinions WHERE id = OLD.opinion_id AND status IN ('assigned', 'rectifying', 'reported', 'lookback');
    IF FOUND THEN
        PERFORM add_overdue_count(OLD.deadline, o.unit_code, o.type, o.mailbox_code, -1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER queue_counts_removed_rectification AFTER DELETE ON rectifications
    FOR EACH ROW WHEN (OLD.deadline != '') EXECUTE FUNCTION queue_counts_removed_rectification();
