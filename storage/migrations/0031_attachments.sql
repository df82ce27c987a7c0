-- Attachments (#13): photos and scans a person adds to an opinion (later to a message of its
-- conversation). The files live IN the database, so that a backup (VACUUM INTO) and a restore
-- carry them with the opinion they belong to; nothing is written beside the database.
--
-- Kept only after cleaning (package scrub): images decoded and encoded again, no metadata.
-- No file name is kept (a name says who, where or when: "IMG_20260415_143752.jpg"), nor any
-- time: the day alone, as the opinion's. A random id and no rowid (WITHOUT ROWID), so the table
-- records no order of arrival. message_id is for the conversation's messages (0030): an
-- attachment belongs to exactly one opinion or one message.
CREATE TABLE attachments (
    id         TEXT PRIMARY KEY,
    opinion_id TEXT REFERENCES opinions(id) ON DELETE CASCADE,
    message_id TEXT,
    kind       TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'pdf')),
    size       INTEGER NOT NULL CHECK (size > 0 AND size <= 10485760),
    data       BLOB NOT NULL CHECK (length(data) = size),
    created_on TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK ((opinion_id IS NULL) != (message_id IS NULL))
) WITHOUT ROWID;
CREATE INDEX attachments_by_opinion ON attachments (opinion_id) WHERE opinion_id IS NOT NULL;
CREATE INDEX attachments_by_message ON attachments (message_id) WHERE message_id IS NOT NULL;
