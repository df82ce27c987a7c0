-- minsheng: foreign_keys off
-- Who speaks, about whom, and by which way (#16): the one rebuild of opinions of this sitting.
-- SQLite cannot widen a CHECK in place, so the table is rebuilt as 0017 did it (create, copy in
-- key order, drop, rename; foreign keys off, and the migrator runs foreign_key_check before it
-- commits). Every column, CHECK, REFERENCES and index as 0017, 0022, 0025, 0027, 0033 and the
-- partial indexes left them is kept, in the same order; there are no triggers or views on it.
-- The tables that refer to opinions(id) keep their references (the rename points them at the
-- new table, as in 0017); the search index (search_docs, search_index) refers to opinions by
-- their id, which does not change.
--
-- Widened: submitter (党员 party_member, 服务对象/管理相对人 client, 两代表一委员 deputy,
-- 行风/社会监督员 monitor) and channel (电子信箱 email, 暗访/督导检查 inspection, 媒体 media,
-- 信访 petition, 谈心谈话 talk, 入户走访 home_visit, 征求意见表 paper).
-- Added: segment, the staff member's segment (feature 2), only ever set for staff; target_kind,
-- target_post and target_badge, whom the opinion is about (挂牌上岗, feature 5), never required.
CREATE TABLE opinions_new (
    id               TEXT PRIMARY KEY,
    receipt_hash     BLOB NOT NULL UNIQUE,
    type             TEXT NOT NULL CHECK (type IN ('opinion', 'suggestion', 'complaint', 'report', 'praise')),
    unit_code        TEXT NOT NULL REFERENCES units(code),
    dept             TEXT NOT NULL DEFAULT '',
    submitter        TEXT NOT NULL CHECK (submitter IN ('patient', 'family', 'staff', 'public', 'other',
                                                        'party_member', 'client', 'deputy', 'monitor')),
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
                                        'questionnaire', 'evaluation', 'email', 'inspection', 'media',
                                        'petition', 'talk', 'home_visit', 'paper')),
    received_on      TEXT NOT NULL DEFAULT ''
                     CHECK (received_on = '' OR received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    site             TEXT NOT NULL DEFAULT '' CHECK (length(site) <= 50),
    mailbox_code     TEXT NOT NULL DEFAULT '' CHECK (length(mailbox_code) <= 40),
    site_code        TEXT NOT NULL DEFAULT '' CHECK (length(site_code) <= 12),
    search_text      TEXT NOT NULL DEFAULT '',
    nature           TEXT NOT NULL DEFAULT '' CHECK (nature IN ('', 'conduct', 'work')),
    reach            TEXT NOT NULL DEFAULT '' CHECK (reach IN ('', 'common', 'individual')),
    campaign_id      INTEGER NOT NULL DEFAULT 0,
    segment          TEXT NOT NULL DEFAULT ''
                     CHECK (segment IN ('', 'functional', 'clinical', 'medtech', 'nursing', 'senior_expert',
                                        'young_doctor', 'logistics', 'democratic_party', 'retired', 'trainee')),
    target_kind      TEXT NOT NULL DEFAULT '' CHECK (target_kind IN ('', 'leadership', 'staff')),
    target_post      TEXT NOT NULL DEFAULT '' CHECK (length(target_post) <= 40),
    target_badge     TEXT NOT NULL DEFAULT ''
                     CHECK (length(target_badge) <= 20 AND target_badge NOT GLOB '*[^0-9A-Za-z]*'),
    CHECK ((status = 'duplicate') = (merged_into IS NOT NULL)),
    CHECK (segment = '' OR submitter = 'staff'),
    CHECK (target_kind != '' OR (target_post = '' AND target_badge = ''))
) WITHOUT ROWID;
-- Copied in key order, so not even the new file's pages keep an order of arrival.
INSERT INTO opinions_new (id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership,
                          status, merged_into, reply, replied_on, created_on, channel, received_on, site,
                          mailbox_code, site_code, search_text, nature, reach, campaign_id)
SELECT id, receipt_hash, type, unit_code, dept, submitter, content, contact, about_leadership,
       status, merged_into, reply, replied_on, created_on, channel, received_on, site,
       mailbox_code, site_code, search_text, nature, reach, campaign_id
FROM opinions ORDER BY id;
DROP TABLE opinions;
ALTER TABLE opinions_new RENAME TO opinions;
-- The indexes exactly as the latest schema has them (0017, 0025, 0027 and the partial ones).
CREATE INDEX opinions_by_day ON opinions (created_on, id);
CREATE INDEX opinions_by_merge ON opinions (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX opinions_by_mailbox ON opinions (mailbox_code, created_on, id) WHERE mailbox_code != '';
CREATE INDEX opinions_by_site ON opinions (site_code) WHERE site_code != '';
CREATE INDEX opinions_without_search_text ON opinions (id) WHERE search_text = '';
CREATE INDEX opinions_by_status ON opinions (status, created_on, id, type, mailbox_code, unit_code, channel);
CREATE INDEX opinions_by_channel ON opinions (channel, created_on, id) WHERE channel NOT IN ('web', 'qr');
CREATE INDEX opinions_by_unit ON opinions (unit_code, created_on, id, dept, type, status, mailbox_code, about_leadership);
CREATE INDEX opinions_reports ON opinions (id) WHERE type = 'report';
CREATE INDEX opinions_in_mailboxes ON opinions (id) WHERE mailbox_code != '';
