-- Failed staff logins, remembered per username as typed, whether or not such an account
-- exists, so that a known and an unknown name get the same answer and the same wait. After a
-- few failures the login asks for the captcha as well as the password; nothing locks an
-- account any more (the lock-out of 0003 let anyone keep any account shut by typing wrong
-- passwords for it). The name is kept only as a keyed hash (the key lives outside the
-- database): what someone typed in the username box may be a password typed in the wrong box.
-- Nothing about where an attempt came from is kept.
DROP TABLE login_failures;
CREATE TABLE login_throttle (
    name_hash BLOB PRIMARY KEY,
    failures  INTEGER NOT NULL CHECK (failures > 0),
    last_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_throttle_by_age ON login_throttle (last_at);
