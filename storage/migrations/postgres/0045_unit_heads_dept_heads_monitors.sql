-- PostgreSQL twin of SQLite's 0045: unit heads, department heads and citizen supervisors
-- (#16). SQLite rebuilds users to change its CHECKs; PostgreSQL changes them in place and adds
-- the columns at the end, in SQLite's order.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'reviewer', 'liaison', 'leader', 'supervisor', 'discipline',
                    'unit_head', 'dept_head', 'monitor'));
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users ADD COLUMN dept TEXT NOT NULL DEFAULT '' CHECK (length(dept) <= 50);
ALTER TABLE users ADD COLUMN post TEXT NOT NULL DEFAULT '' CHECK (length(post) <= 40);
ALTER TABLE users ADD COLUMN badge TEXT NOT NULL DEFAULT ''
    CHECK (length(badge) <= 20 AND badge !~ '[^0-9A-Za-z]');
ALTER TABLE users ADD COLUMN conduct BIGINT NOT NULL DEFAULT 0 CHECK (conduct IN (0, 1));
ALTER TABLE users ADD CONSTRAINT users_check
    CHECK ((role IN ('liaison', 'unit_head', 'dept_head')) = (unit_code IS NOT NULL));
ALTER TABLE users ADD CONSTRAINT users_dept_head_check CHECK ((role = 'dept_head') = (dept != ''));
ALTER TABLE users ADD CONSTRAINT users_monitor_check CHECK (role != 'monitor' OR conduct = 0);
ALTER TABLE users ADD CONSTRAINT users_no_unit_no_post CHECK (unit_code IS NOT NULL OR (post = '' AND badge = ''));

CREATE TABLE monitor_opinions (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, opinion_id)
);
