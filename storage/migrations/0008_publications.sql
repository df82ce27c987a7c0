-- The public notice board (公示): what the bureau chooses to publish about a rectification, in
-- words written by staff (a de-identified title and text), never the submitter's own words
-- unless a reviewer copies them in deliberately.
CREATE TABLE publications (
    opinion_id   TEXT PRIMARY KEY REFERENCES opinions(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    result       TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL
);
