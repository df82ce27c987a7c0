-- What every portal process serving this one database must share (#15): two or more processes
-- behind one proxy behave as one. Plain SQL of the common subset of SQLite and PostgreSQL.

-- Single-use tokens spent: captchas answered or replaced, and receipt-page cookies cleared by
-- their owner (清除). Neither is stored when it is made. A captcha's id is sealed by the key
-- file every process shares and carries its own expiry, and its digits are derived from the id
-- under that key, so any process can draw it and check an answer; a receipt page's cookie holds
-- the code sealed under that key. Only their use is recorded here, once (the primary key makes
-- the second use fail), so each captcha takes one guess and a cleared cookie opens nothing,
-- whichever process gets it. Public requests write this table: no rowid, and no time of day —
-- the token's SHA-256 and the DAY it expires on, after which the row is deleted (the token's
-- own expiry has passed by then, so a deleted row cannot be replayed).
CREATE TABLE spent_tokens (
    hash     BLOB PRIMARY KEY CHECK (length(hash) = 32),
    until_on TEXT NOT NULL CHECK (length(until_on) = 10)
) WITHOUT ROWID;

-- Budgets every process draws on together (the receipt look-ups that find nothing, all clients
-- together): a count of tokens, taken one at a time by public requests and refilled by the
-- process that holds the budget's lease. No time is kept: refilling is the lease holder's
-- business, so a public request writes a count alone.
CREATE TABLE budgets (
    name   TEXT PRIMARY KEY,
    tokens INTEGER NOT NULL CHECK (tokens >= 0)
) WITHOUT ROWID;

-- Generations of what processes keep in memory (the working-day calendar, units, campaigns):
-- bumped in the transaction that changes it, read by every process every few seconds, which
-- reloads what moved on. Staff changes only.
CREATE TABLE generations (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;

-- Leases on scheduled work (reminders, the sender, retraining, the nightly index, refilling
-- budgets): one process at a time runs a job's tick, the one whose lease has not expired.
-- Taken and renewed with one INSERT … ON CONFLICT, released by its holder. expires is unix
-- milliseconds of the holder's clock. No public request writes here.
CREATE TABLE leases (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    expires INTEGER NOT NULL
) WITHOUT ROWID;
