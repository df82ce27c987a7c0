-- PostgreSQL twin of SQLite's 0041 (#16: who speaks, about whom, by which way). SQLite rebuilds
-- opinions to widen its CHECKs; PostgreSQL changes them in place and adds the columns at the
-- end, in SQLite's order, with the same CHECKs (GLOB patterns as anchored regular expressions).
-- The indexes SQLite's rebuild writes again are unchanged here.
ALTER TABLE opinions DROP CONSTRAINT opinions_submitter_check;
ALTER TABLE opinions ADD CONSTRAINT opinions_submitter_check
    CHECK (submitter IN ('patient', 'family', 'staff', 'public', 'other',
                         'party_member', 'client', 'deputy', 'monitor'));
ALTER TABLE opinions DROP CONSTRAINT opinions_channel_check;
ALTER TABLE opinions ADD CONSTRAINT opinions_channel_check
    CHECK (channel IN ('web', 'qr', 'kiosk', 'box', 'letter', 'phone', 'sms', 'forum', 'visit',
                       'questionnaire', 'evaluation', 'email', 'inspection', 'media',
                       'petition', 'talk', 'home_visit', 'paper'));
ALTER TABLE opinions ADD COLUMN segment TEXT NOT NULL DEFAULT ''
    CHECK (segment IN ('', 'functional', 'clinical', 'medtech', 'nursing', 'senior_expert',
                       'young_doctor', 'logistics', 'democratic_party', 'retired', 'trainee'));
ALTER TABLE opinions ADD COLUMN target_kind TEXT NOT NULL DEFAULT ''
    CHECK (target_kind IN ('', 'leadership', 'staff'));
ALTER TABLE opinions ADD COLUMN target_post TEXT NOT NULL DEFAULT ''
    CHECK (length(target_post) <= 40);
ALTER TABLE opinions ADD COLUMN target_badge TEXT NOT NULL DEFAULT ''
    CHECK (length(target_badge) <= 20 AND target_badge !~ '[^0-9A-Za-z]');
ALTER TABLE opinions ADD CONSTRAINT opinions_segment_staff CHECK (segment = '' OR submitter = 'staff');
ALTER TABLE opinions ADD CONSTRAINT opinions_target_named
    CHECK (target_kind != '' OR (target_post = '' AND target_badge = ''));
