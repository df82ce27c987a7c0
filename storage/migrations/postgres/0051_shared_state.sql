-- PostgreSQL twin of SQLite's 0051: what every portal process serving one database shares
-- (#15): spent single-use tokens (hash and day only, no order), budgets, generations, leases.
CREATE TABLE spent_tokens (
    hash     BYTEA PRIMARY KEY CHECK (length(hash) = 32),
    until_on TEXT COLLATE "C" NOT NULL CHECK (length(until_on) = 10)
);

CREATE TABLE budgets (
    name   TEXT COLLATE "C" PRIMARY KEY,
    tokens BIGINT NOT NULL CHECK (tokens >= 0)
);

CREATE TABLE generations (
    name TEXT COLLATE "C" PRIMARY KEY,
    n    BIGINT NOT NULL
);

CREATE TABLE leases (
    name    TEXT COLLATE "C" PRIMARY KEY,
    holder  TEXT COLLATE "C" NOT NULL,
    expires BIGINT NOT NULL
);
