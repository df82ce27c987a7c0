-- PostgreSQL twin of SQLite's 0044: the channel directory and service commitments (#16).
CREATE TABLE directory_contacts (
    id                BIGINT PRIMARY KEY CHECK (id = 1),
    complaint_phone   TEXT NOT NULL DEFAULT '' CHECK (length(complaint_phone) <= 30),
    report_phone      TEXT NOT NULL DEFAULT '' CHECK (length(report_phone) <= 30),
    supervision_phone TEXT NOT NULL DEFAULT '' CHECK (length(supervision_phone) <= 30),
    email             TEXT NOT NULL DEFAULT '' CHECK (length(email) <= 100),
    hours             TEXT NOT NULL DEFAULT '' CHECK (length(hours) <= 100)
);
INSERT INTO directory_contacts (id) VALUES (1);

CREATE TABLE unit_directory (
    unit_code     TEXT PRIMARY KEY REFERENCES units (code),
    liaison_post  TEXT NOT NULL DEFAULT '' CHECK (length(liaison_post) <= 50),
    liaison_phone TEXT NOT NULL DEFAULT '' CHECK (length(liaison_phone) <= 30)
);

CREATE TABLE unit_commitments (
    unit_code TEXT NOT NULL REFERENCES units (code),
    position  BIGINT NOT NULL CHECK (position >= 1),
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    PRIMARY KEY (unit_code, position)
);
