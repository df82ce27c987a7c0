-- The optional diagnostic family of the taxonomy (feature 28, #16): 五查五看, 四面镜子, 为民 / 务实
-- / 清廉, and 不方便 / 不放心 / 不满意, the dimensions the seeds use to 查摆问题. They are
-- families (kind 'family') of one optional family, optional_family 'diagnostic', which the
-- administrator turns on or off as a whole (Store.SetOptionalFamily): off is every tag of it
-- retired (not offered, kept on the opinions that carry it, as any retired tag), on is every
-- one in use again. It is OFF at first: the campaign's 查摆问题 phase is when it is wanted, and
-- fifteen more boxes on every item before then would only crowd the reviewer's page.
ALTER TABLE tags ADD COLUMN optional_family TEXT NOT NULL DEFAULT '' CHECK (optional_family IN ('', 'diagnostic'));

INSERT INTO tags (code, kind, style, label, label_en, position, retired_on, optional_family) VALUES
    ('dx-check-thinking', 'family', NULL, '五查五看：查思想认识，看是否树牢群众观点', 'Five checks: thinking — is the mass viewpoint firm? (五查五看)', 1010, date('now'), 'diagnostic'),
    ('dx-check-style', 'family', NULL, '五查五看：查工作作风，看是否深入基层', 'Five checks: work style — close to the grassroots? (五查五看)', 1020, date('now'), 'diagnostic'),
    ('dx-check-methods', 'family', NULL, '五查五看：查方式方法，看是否为群众接受', 'Five checks: methods — accepted by the people? (五查五看)', 1030, date('now'), 'diagnostic'),
    ('dx-check-policy', 'family', NULL, '五查五看：查政策措施，看是否符合群众需求', 'Five checks: policies — do they meet people''s needs? (五查五看)', 1040, date('now'), 'diagnostic'),
    ('dx-check-integrity', 'family', NULL, '五查五看：查廉洁自律，看是否厉行勤俭节约', 'Five checks: integrity — thrift practised? (五查五看)', 1050, date('now'), 'diagnostic'),
    ('dx-mirror-theory', 'family', NULL, '四面镜子：理论理想', 'Four mirrors: theory and ideals (四面镜子)', 1060, date('now'), 'diagnostic'),
    ('dx-mirror-party', 'family', NULL, '四面镜子：党章党纪', 'Four mirrors: Party constitution and discipline (四面镜子)', 1070, date('now'), 'diagnostic'),
    ('dx-mirror-people', 'family', NULL, '四面镜子：民心民声', 'Four mirrors: the people''s hearts and voices (四面镜子)', 1080, date('now'), 'diagnostic'),
    ('dx-mirror-exemplars', 'family', NULL, '四面镜子：先辈先进', 'Four mirrors: forebears and exemplars (四面镜子)', 1090, date('now'), 'diagnostic'),
    ('dx-for-people', 'family', NULL, '为民', 'For the people (为民)', 1100, date('now'), 'diagnostic'),
    ('dx-pragmatic', 'family', NULL, '务实', 'Pragmatic (务实)', 1110, date('now'), 'diagnostic'),
    ('dx-clean', 'family', NULL, '清廉', 'Clean (清廉)', 1120, date('now'), 'diagnostic'),
    ('dx-inconvenient', 'family', NULL, '不方便', 'Inconvenient (不方便)', 1130, date('now'), 'diagnostic'),
    ('dx-worrying', 'family', NULL, '不放心', 'Worrying (不放心)', 1140, date('now'), 'diagnostic'),
    ('dx-unsatisfactory', 'family', NULL, '不满意', 'Unsatisfactory (不满意)', 1150, date('now'), 'diagnostic');
