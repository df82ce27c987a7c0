-- What a member of the public does to an opinion (today: rating its rectification at
-- /track/rate) is kept with its DATE only, apart from the staff audit log. Until now the rating
-- went into audit_log with the time to the second, and audit_log's id counts up in order of
-- arrival, so even a date alone there would be placed between staff actions that carry their
-- time. Here the key is random, the table has no rowid and the CHECK admits a date and nothing
-- else: a time of day cannot be stored.
CREATE TABLE public_events (
    id         TEXT PRIMARY KEY,                 -- random, never sequential
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    action     TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 30),
    detail     TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 200),
    day        TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) WITHOUT ROWID;
CREATE INDEX public_events_by_opinion ON public_events (opinion_id, day);

-- The ratings already recorded move here with their time cut to the day. audit_log keeps UTC;
-- the day is China's (UTC+8), the zone the portal dates everything in. The old rows go
-- (secure_delete overwrites them in the file).
INSERT INTO public_events (id, opinion_id, action, detail, day)
SELECT lower(hex(randomblob(10))), opinion_id, action, detail, date(created_at, '+8 hours')
FROM audit_log
WHERE action = 'rate' AND user_id IS NULL AND opinion_id IS NOT NULL;
DELETE FROM audit_log WHERE action = 'rate' AND user_id IS NULL;
