-- Failed staff logins, to lock an account after repeated failures. Only the account and the
-- time are kept: never where the attempt came from.
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX login_failures_by_user ON login_failures (user_id, created_at);

-- When a session was last used, for the idle timeout.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
