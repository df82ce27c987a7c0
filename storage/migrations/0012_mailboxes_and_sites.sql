-- Named mailboxes (信箱) and the registry of collection sites (意见箱 locations).
--
-- A mailbox is an addressee the public can write to: 局长信箱, 纪检监察信箱, 院长信箱 of a
-- hospital. Each has its own readers, by role and by named staff member, and a letter in a
-- mailbox is visible only to them (access.Viewer.Mailboxes, storage.scopeSQL). A 'discipline'
-- mailbox is read by the discipline role alone and its readers cannot be changed.
-- readers_note is the plain public sentence of who reads it ("由局长本人阅读").
CREATE TABLE mailboxes (
    code         TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40 AND code NOT GLOB '*[^a-z0-9-]*'),
    name         TEXT NOT NULL UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 30),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    readers_note TEXT NOT NULL DEFAULT '' CHECK (length(readers_note) <= 100),
    unit_code    TEXT REFERENCES units(code), -- the unit it belongs to; NULL for the bureau's own
    discipline   INTEGER NOT NULL DEFAULT 0 CHECK (discipline IN (0, 1)),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort_order   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE mailbox_reader_roles (
    mailbox_code TEXT NOT NULL REFERENCES mailboxes(code) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'liaison', 'leader', 'supervisor', 'discipline')),
    PRIMARY KEY (mailbox_code, role)
) WITHOUT ROWID;

CREATE TABLE mailbox_reader_users (
    mailbox_code TEXT NOT NULL REFERENCES mailboxes(code) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (mailbox_code, user_id)
) WITHOUT ROWID;
CREATE INDEX mailbox_reader_users_by_user ON mailbox_reader_users (user_id);

INSERT INTO mailboxes (code, name, description, readers_note, discipline, sort_order) VALUES
    ('director', '局长信箱', '对全县卫生健康工作的意见和建议，直接写给局长。', '由局长和局活动办阅读、交办。', 0, 1),
    ('discipline', '纪检监察信箱', '反映工作人员违纪违规问题，如收受红包、回扣，吃拿卡要等。', '只由纪检监察人员阅读，其他任何人都看不到。', 1, 2);
INSERT INTO mailbox_reader_roles (mailbox_code, role) VALUES
    ('director', 'admin'), ('director', 'reviewer'), ('director', 'leader'),
    ('discipline', 'discipline');

-- A site is a place where an opinion box or a poster hangs: building, floor, ward, with the
-- unit and department it belongs to. Its code is short and random; it goes on the poster's
-- short URL (/q/CODE), so it names a place, never a person or a device.
CREATE TABLE sites (
    code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 4 AND 12 AND code NOT GLOB '*[^0-9A-Z]*'),
    name       TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 50), -- 门诊大厅意见箱
    building   TEXT NOT NULL DEFAULT '' CHECK (length(building) <= 30),
    floor      TEXT NOT NULL DEFAULT '' CHECK (length(floor) <= 10),
    ward       TEXT NOT NULL DEFAULT '' CHECK (length(ward) <= 30),
    unit_code  TEXT NOT NULL REFERENCES units(code),
    dept       TEXT NOT NULL DEFAULT '' CHECK (length(dept) <= 50),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_on TEXT NOT NULL
);

-- Which mailbox a letter was written to and which registered site it came from ('' for none).
-- Plain columns, checked by storage on insert: SQLite cannot add a REFERENCES column with a
-- non-NULL default, and NULL would make every query compare with IS.
ALTER TABLE opinions ADD COLUMN mailbox_code TEXT NOT NULL DEFAULT '' CHECK (length(mailbox_code) <= 40);
ALTER TABLE opinions ADD COLUMN site_code TEXT NOT NULL DEFAULT '' CHECK (length(site_code) <= 12);
CREATE INDEX opinions_by_mailbox ON opinions (mailbox_code, created_on, id) WHERE mailbox_code != '';
CREATE INDEX opinions_by_site ON opinions (site_code) WHERE site_code != '';
