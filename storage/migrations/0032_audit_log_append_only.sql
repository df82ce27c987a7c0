-- The audit log (#13) is read on its own page, by person, action, item and period, newest
-- first, a page at a time (storage.AuditPage: keyset on id). Each filter has an index that
-- ends in id, so that a page is read from the end of its range without sorting the log:
-- the item's (audit_log_by_opinion, 0001) was there already; the person's, the action's and
-- the time's are added here.
CREATE INDEX audit_log_by_user ON audit_log (user_id, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_time ON audit_log (created_at, id);

-- Entries cannot be changed or removed from the portal: the database refuses it, whatever the
-- code asks. Before this migration nothing in the code updated or deleted audit rows:
--  * storage writes them only through audit() (an INSERT); no retention job purges them;
--  * staff accounts are disabled, never deleted (0007), so users(id) never cascades here;
--  * opinions are never deleted, so opinion_id's ON DELETE SET NULL never fires. Should a
--    retention purge of opinions come one day, that SET NULL is an UPDATE and is refused:
--    purging will have to decide, in a migration of its own, what becomes of the log;
--  * the migrations that rebuilt opinions (0005, 0017) ran with foreign_keys off, as any
--    later rebuild must (migrate.go), so dropping the old table touched no audit row;
--  * 0016 moved the public ratings out of the log with a DELETE, before these triggers;
--  * a restore (storage.Restore, from the command line) replaces the whole database file
--    with a checked backup: the log is the backup's, as every other table; nothing is
--    edited row by row.
-- Whoever holds the database file can still drop the triggers: they guard against the
-- portal and its bugs, not against the server's administrator.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- 纪检's page reads the entries of the opinions that are theirs alone: 举报, and letters to a
-- mailbox (of which the discipline ones). These partial indexes hold only those opinions, so
-- finding them does not read the whole opinions table.
CREATE INDEX opinions_reports ON opinions (id) WHERE type = 'report';
CREATE INDEX opinions_in_mailboxes ON opinions (id) WHERE mailbox_code != '';
