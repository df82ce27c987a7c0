-- 两方案一计划 (#14): the 整改方案, the 专项整治方案 and the 制度建设计划 as documents in the
-- portal. The 活动办 drafts a plan and may open the draft for comment to a scope for a period;
-- the 督导组 approves it or returns it with comments; the 活动办 publishes it to a scope and
-- marks it done. Package plan holds the rules (which step each role may take from which state);
-- storage keeps the rows and audits every step.
CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
    kind          TEXT NOT NULL CHECK (kind IN ('rectification', 'special', 'system')),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    -- The text, plain: lines starting "一、" are headings, lines starting "（一）" subheadings
    -- (package plan reads them); nothing in it is ever rendered as HTML.
    body          TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 50000),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'comment', 'review', 'returned', 'approved', 'published', 'done')),
    -- Who may read and comment on the draft while it is open for comment, and the days it is.
    comment_scope TEXT NOT NULL DEFAULT '',
    comment_from  TEXT NOT NULL DEFAULT '',
    comment_to    TEXT NOT NULL DEFAULT '',
    -- The 督导组's words when it last returned the plan.
    review_note   TEXT NOT NULL DEFAULT '' CHECK (length(review_note) <= 2000),
    -- On publication: who may read it, and what changed after the comments received.
    scope         TEXT NOT NULL DEFAULT '',
    changes_note  TEXT NOT NULL DEFAULT '' CHECK (length(changes_note) <= 2000),
    created_on    TEXT NOT NULL CHECK (created_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    updated_on    TEXT NOT NULL,
    approved_on   TEXT NOT NULL DEFAULT '',
    published_on  TEXT NOT NULL DEFAULT '',
    done_on       TEXT NOT NULL DEFAULT '',
    CHECK (comment_from <= comment_to)
);
CREATE INDEX plans_by_campaign ON plans (campaign_id, status);

-- A plan's tasks, the "三明确一承诺": what, its goal (目标), its measures (措施), the responsible
-- leader's post (责任领导: a post such as 分管副院长, the name only if staff choose to publish
-- it), the responsible unit (责任部门), the public commitment (公开承诺), the acceptance
-- standard (验收标准) and the deadline; optionally the opinion whose rectification or the
-- problem (#11) it answers.
CREATE TABLE plan_tasks (
    plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 200),
    what         TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 200),
    goal         TEXT NOT NULL DEFAULT '' CHECK (length(goal) <= 1000),
    measures     TEXT NOT NULL DEFAULT '' CHECK (length(measures) <= 2000),
    leader_post  TEXT NOT NULL DEFAULT '' CHECK (length(leader_post) <= 40),
    leader_name  TEXT NOT NULL DEFAULT '' CHECK (length(leader_name) <= 40),
    publish_name INTEGER NOT NULL DEFAULT 0 CHECK (publish_name IN (0, 1)),
    unit_code    TEXT REFERENCES units(code),
    commitment   TEXT NOT NULL DEFAULT '' CHECK (length(commitment) <= 1000),
    acceptance   TEXT NOT NULL DEFAULT '' CHECK (length(acceptance) <= 1000),
    deadline     TEXT NOT NULL DEFAULT '',
    opinion_id   TEXT REFERENCES opinions(id),
    problem_id   TEXT REFERENCES problems(id),
    PRIMARY KEY (plan_id, seq)
) WITHOUT ROWID;

-- Comments on a draft ARE opinions (feature 63): they arrive through the anonymous pipeline,
-- and this row, written in the opinion's own transaction, says which draft they are about. No
-- rowid and no time: the opinion ids are random, so the rows keep no arrival order.
CREATE TABLE plan_comments (
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    opinion_id TEXT NOT NULL UNIQUE REFERENCES opinions(id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, opinion_id)
) WITHOUT ROWID;

-- A plan's history: every step (drafted, opened for comment, submitted, approved, returned,
-- published, done) with who took it and their words. Staff acts: they keep their time.
CREATE TABLE plan_steps (
    plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    PRIMARY KEY (plan_id, seq)
) WITHOUT ROWID;
