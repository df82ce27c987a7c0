-- PostgreSQL twin of SQLite's 0042: the optional diagnostic family of the taxonomy (#16,
-- feature 28), the same column and rows; SQLite's date('now') is the UTC date.
ALTER TABLE tags ADD COLUMN optional_family TEXT NOT NULL DEFAULT '' CHECK (optional_family IN ('', 'diagnostic'));

INSERT INTO tags (code, kind, style, label, label_en, position, retired_on, optional_family) VALUES
    ('dx-check-thinking', 'family', NULL, '五查五看：查思想认识，看是否树牢群众观点', 'Five checks: thinking — is the mass viewpoint firm? (五查五看)', 1010, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-check-style', 'family', NULL, '五查五看：查工作作风，看是否深入基层', 'Five checks: work style — close to the grassroots? (五查五看)', 1020, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-check-methods', 'family', NULL, '五查五看：查方式方法，看是否为群众接受', 'Five checks: methods — accepted by the people? (五查五看)', 1030, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-check-policy', 'family', NULL, '五查五看：查政策措施，看是否符合群众需求', 'Five checks: policies — do they meet people''s needs? (五查五看)', 1040, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-check-integrity', 'family', NULL, '五查五看：查廉洁自律，看是否厉行勤俭节约', 'Five checks: integrity — thrift practised? (五查五看)', 1050, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-mirror-theory', 'family', NULL, '四面镜子：理论理想', 'Four mirrors: theory and ideals (四面镜子)', 1060, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-mirror-party', 'family', NULL, '四面镜子：党章党纪', 'Four mirrors: Party constitution and discipline (四面镜子)', 1070, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-mirror-people', 'family', NULL, '四面镜子：民心民声', 'Four mirrors: the people''s hearts and voices (四面镜子)', 1080, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-mirror-exemplars', 'family', NULL, '四面镜子：先辈先进', 'Four mirrors: forebears and exemplars (四面镜子)', 1090, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-for-people', 'family', NULL, '为民', 'For the people (为民)', 1100, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-pragmatic', 'family', NULL, '务实', 'Pragmatic (务实)', 1110, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-clean', 'family', NULL, '清廉', 'Clean (清廉)', 1120, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-inconvenient', 'family', NULL, '不方便', 'Inconvenient (不方便)', 1130, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-worrying', 'family', NULL, '不放心', 'Worrying (不放心)', 1140, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic'),
    ('dx-unsatisfactory', 'family', NULL, '不满意', 'Unsatisfactory (不满意)', 1150, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'diagnostic');
