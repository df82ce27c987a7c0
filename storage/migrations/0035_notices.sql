-- Public notice with a scope (#14). The 整改任务书和时间表 names a responsible POST (分管副院长,
-- 科主任…), not a person: the rectification keeps the post beside the responsible person, and
-- the person's name reaches the published task list only when staff ticked "publish the name".
ALTER TABLE rectifications ADD COLUMN post TEXT NOT NULL DEFAULT '' CHECK (length(post) <= 50);
ALTER TABLE rectifications ADD COLUMN publish_name INTEGER NOT NULL DEFAULT 0 CHECK (publish_name IN (0, 1));

-- What the activity office publishes "在一定范围内": a notice (通知), a 简报, the task list, a
-- result; each with the scope of campaign.Scopes. Staff-written: no anonymity concern. A
-- withdrawn item is kept (withdrawn_on set) so the record of what was published stays.
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL DEFAULT 0, -- 0: none (a task list of a period)
    kind         TEXT NOT NULL CHECK (kind IN ('notice', 'brief', 'tasklist', 'result')),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    body         TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    scope        TEXT NOT NULL CHECK (scope IN ('public', 'staff') OR (scope GLOB 'unit:?*' AND length(scope) <= 60)),
    -- a task list of a period without a campaign: its first and last days of arrival
    period_from  TEXT NOT NULL DEFAULT '',
    period_to    TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    published_by INTEGER NOT NULL REFERENCES users(id),
    withdrawn_on TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notices_by_campaign ON notices (campaign_id, published_on);

-- A published task list is a frozen snapshot: the rows as they stood on the day it was
-- published, so the public reads what was published, whatever happens to the work later.
CREATE TABLE notice_tasks (
    notice_id   INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    task        TEXT NOT NULL, -- the reviewer's public title (publications.title)
    lead_unit   TEXT NOT NULL, -- the unit's name as it was
    post        TEXT NOT NULL,
    name        TEXT NOT NULL, -- '' unless staff chose to publish the name
    kind        TEXT NOT NULL, -- lifecycle.Kinds code, '' before the work started
    deadline    TEXT NOT NULL,
    status      TEXT NOT NULL, -- lifecycle status code, worded for the board when shown
    PRIMARY KEY (notice_id, seq)
) WITHOUT ROWID;
