-- 渠道与服务承诺 (features 13, 47): what the public page /qudao publishes, edited by the
-- administrators. Staff-written. One row of the bureau's numbers and address (id 1).
CREATE TABLE directory_contacts (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    complaint_phone   TEXT NOT NULL DEFAULT '' CHECK (length(complaint_phone) <= 30),
    report_phone      TEXT NOT NULL DEFAULT '' CHECK (length(report_phone) <= 30),
    supervision_phone TEXT NOT NULL DEFAULT '' CHECK (length(supervision_phone) <= 30),
    email             TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 100),
    hours             TEXT NOT NULL DEFAULT '' CHECK (length(hours) <= 100)
);
INSERT INTO directory_contacts (id) VALUES (1);

-- Per unit: the post of its liaison (联络员), never a person's name, and its service
-- commitments (服务承诺, 限时办结, 首诊负责制…), free text items in the order shown.
CREATE TABLE unit_directory (
    unit_code    TEXT PRIMARY KEY REFERENCES units (code),
    liaison_post TEXT NOT NULL DEFAULT '' CHECK (length(liaison_post) <= 50),
    liaison_phone TEXT NOT NULL DEFAULT '' CHECK (length(liaison_phone) <= 30)
) WITHOUT ROWID;

CREATE TABLE unit_commitments (
    unit_code TEXT NOT NULL REFERENCES units (code),
    position  INTEGER NOT NULL CHECK (position >= 1),
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    PRIMARY KEY (unit_code, position)
) WITHOUT ROWID;
