-- minsheng: foreign_keys off
-- Opinions and ratings stop being numbered in order of arrival. A rowid table gives every row a
-- hidden integer, counting up as rows arrive: anyone reading the file could sort a day's
-- opinions (or ratings) into the order they came in, and match them to who was at the kiosk or
-- the ward at the time. Both tables already have a random key; rebuilt WITHOUT ROWID they are
-- stored in the order of that key and nothing else (SELECT rowid fails).
--
-- Rebuilt as in 0005 (create, copy, drop, rename) with foreign keys off; the migrator runs
-- foreign_key_check before it commits. Every column, CHECK, REFERENCES and index of opinions as
-- 0005, 0010, 0012, 0014 and 0015 left them is kept; there are no triggers or views.
CREATE TABLE opinions_new (
    id               TEXT PRIMARY KEY,
    receipt_hash     BLOB NOT NULL UNIQUE,
    type             TEXT NOT NULL CHECK (type IN ('opinion', 'suggestion', 'complaint', 'report', 'praise')),
    unit_code        TEXT NOT NULL REFERENCES units(code),
    dept             TEXT NOT NULL DEFAULT '',
    submitter        TEXT NOT NULL CHECK (submitter IN ('patient', 'family', 'staff', 'public', 'other')),
    content          TEXT NOT NULL,
    contact          TEXT NOT NULL DEFAULT '',
    about_leadership INTEGER NOT NULL DEFAULT 0 CHECK (about_leadership IN (0, 1)),
    status           TEXT NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'triaged', 'assigned', 'rectifying', 'reported', 'lookback',
                                       'satisfaction', 'closed', 'rejected', 'duplicate', 'forwarded')),
    merged_into      TEXT REFERENCES opinions_new(id),
    reply            TEXT NOT NULL DEFAULT '',
    replied_on       TEXT NOT NULL DEFAULT '',
    created_on       TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    channel          TEXT NOT NULL DEFAULT 'web'
                     CHECK (channel IN ('web', 'qr', 'kiosk', 'box', 'letter', 'phone', 'sms', 'forum', 'visit',
                                        'questionnaire', 'evaluation')),
    received_on      TEXT NOT NULL DEFAULT ''
                     CHECK (received_on = '' OR received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    site             TEXT NOT NULL DEFAULT '' CHECK (length(site) <= 50),
    mailbox_code     TEXT NOT NULL DEFAULT '' CHECK (length(mailbox_code) <= 40),
    site_code        TEXT NOT NULL DEFAULT '' CHECK (length(site_code) <= 12),
    search_text      TEXT NOT NULL DEFAULT '',
    CHECK ((status = 'duplicate') = (merged_into IS NOT NULL))
) WITHOUT ROWID;
-- Copied in key order, so not even the new file's pages keep the old order of arrival.
INSERT INTO opinions_new (id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership,
                          status, merged_into, reply, replied_on, created_on, channel, received_on, site,
                          mailbox_code, site_code, search_text)
SELECT id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership,
       status, merged_into, reply, replied_on, created_on, channel, received_on, site,
       mailbox_code, site_code, search_text
FROM opinions ORDER BY id;
DROP TABLE opinions;
ALTER TABLE opinions_new RENAME TO opinions;
CREATE INDEX opinions_by_day ON opinions (created_on, id);
CREATE INDEX opinions_by_status ON opinions (status, created_on, id);
CREATE INDEX opinions_by_unit ON opinions (unit_code, created_on, id);
CREATE INDEX opinions_by_merge ON opinions (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX opinions_by_channel ON opinions (channel, created_on, id);
CREATE INDEX opinions_by_mailbox ON opinions (mailbox_code, created_on, id) WHERE mailbox_code != '';
CREATE INDEX opinions_by_site ON opinions (site_code) WHERE site_code != '';
CREATE INDEX opinions_without_search_text ON opinions (id) WHERE search_text = '';
CREATE INDEX opinions_counts ON opinions (status, type, mailbox_code, unit_code, channel, created_on, id);

-- A submitter's rating, one per receipt: its rowid would order a day's ratings the same way.
-- Its date is now checked to be a date, as public_events' is.
CREATE TABLE ratings_new (
    opinion_id TEXT PRIMARY KEY REFERENCES opinions(id) ON DELETE CASCADE,
    rating     TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically', 'dissatisfied')),
    words      TEXT NOT NULL DEFAULT '',
    rated_on   TEXT NOT NULL CHECK (rated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) WITHOUT ROWID;
INSERT INTO ratings_new (opinion_id, rating, words, rated_on)
SELECT opinion_id, rating, words, rated_on FROM ratings ORDER BY opinion_id;
DROP TABLE ratings;
ALTER TABLE ratings_new RENAME TO ratings;
