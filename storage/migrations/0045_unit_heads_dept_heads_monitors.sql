-- minsheng: foreign_keys off
-- Three more roles (#16, feature 58): the unit head (第一责任人, unit_head) and the department
-- head (科室负责人/责任人, dept_head) belong to one unit as a liaison does, the department head
-- to one 科室 of it as well (dept: its name, as opinions carry it); the citizen supervisor
-- (行风/社会监督员, monitor) follows assigned units in user_units, as a leader follows 联系点.
-- post and badge: the person's post (岗位) and badge number (工号) in their unit, when the
-- administrator gives them, so that an opinion naming them (挂牌上岗, opinions.target_post and
-- target_badge) is never shown to them (access.Viewer.NamedIn); only for those with a unit.
-- conduct: an administrator granted this person the conduct record (医德医风档案) of every
-- department. SQLite cannot change a CHECK in place: users is rebuilt (create, copy, drop,
-- rename) with foreign keys off, and the migrator checks them before it commits.
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'liaison', 'leader', 'supervisor', 'discipline',
                                                'unit_head', 'dept_head', 'monitor')),
    unit_code     TEXT REFERENCES units(code),
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    lang          TEXT NOT NULL DEFAULT '' CHECK (length(lang) <= 16),
    dept          TEXT NOT NULL DEFAULT '' CHECK (length(dept) <= 50),
    post          TEXT NOT NULL DEFAULT '' CHECK (length(post) <= 40),
    badge         TEXT NOT NULL DEFAULT '' CHECK (length(badge) <= 20 AND badge NOT GLOB '*[^0-9A-Za-z]*'),
    conduct       INTEGER NOT NULL DEFAULT 0 CHECK (conduct IN (0, 1)),
    CHECK ((role IN ('liaison', 'unit_head', 'dept_head')) = (unit_code IS NOT NULL)),
    CHECK ((role = 'dept_head') = (dept != '')),
    CHECK (role != 'monitor' OR conduct = 0),
    CHECK (unit_code IS NOT NULL OR (post = '' AND badge = ''))
);
INSERT INTO users_new (id, username, password_hash, role, unit_code, created_at, disabled, lang)
SELECT id, username, password_hash, role, unit_code, created_at, disabled, lang FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- What a citizen supervisor submitted, so that they can follow its progress: the one link from
-- a person to an opinion the portal keeps, read by that person's own page alone (never by a
-- queue, an export, a report or the audit log; the opinion row itself names nobody). No rowid
-- and no time: the opinion ids are random, so the rows say nothing of the order they came in.
CREATE TABLE monitor_opinions (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, opinion_id)
) WITHOUT ROWID;
