-- PostgreSQL twin of SQLite's 0051: what every portal process serving one database shares
-- (#15): spent single-use tokens (hash and day only, no order), budgets, generations, leases.
CREATE TABLE spent_tokens (
    hash     BYTEA PRIMARY KEY CHECK (length(hash) = 32),
    until_on TEXT NOT NULL CHECK (length(until_on) = 10)
);

CREATE TABLE budgets (
    name   TEXT PRIMARY KEY,
    tokens BIGINT NOT NULL CHECK (tokens >= 0)
);

CREATE TABLE generations (
    name TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);

CREATE TABLE leases (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    expires BIGINT NOT NULL
);
