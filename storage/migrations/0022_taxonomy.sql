-- 汇总梳理: the taxonomy an opinion is sorted by, besides the four styles (opinion_styles): the
-- manifestations of each style (requirements §2.1) and the secondary families of feature 27.
-- It lives here, not in code, because the activity office edits it (feature 60): adds, renames,
-- retires (a tag in use is never deleted: old opinions and old reports keep it), and keeps the
-- keywords of each. Labels are written in Simplified Chinese and in English; Traditional is made
-- from the Simplified by OpenCC when shown, as for every other label.
CREATE TABLE tags (
    code       TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND code NOT GLOB '*[^a-z0-9_-]*' AND length(code) <= 40),
    kind       TEXT NOT NULL CHECK (kind IN ('manifestation', 'family')),
    style      TEXT CHECK (style IN ('formalism', 'bureaucratism', 'hedonism', 'extravagance')),
    label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
    label_en   TEXT NOT NULL DEFAULT '' CHECK (length(label_en) <= 120),
    keywords   TEXT NOT NULL DEFAULT '' CHECK (length(keywords) <= 2000), -- one per line, Simplified
    position   INTEGER NOT NULL,
    retired_on TEXT CHECK (retired_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK ((kind = 'manifestation') = (style IS NOT NULL))
) WITHOUT ROWID;

CREATE TABLE opinion_tags (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL REFERENCES tags(code),
    PRIMARY KEY (opinion_id, tag)
) WITHOUT ROWID;
CREATE INDEX opinion_tags_by_tag ON opinion_tags (tag, opinion_id);

-- Feature 30's attribute flags: 作风问题 (conduct) or 工作问题 (work); 共性 (common) or 个性
-- (individual). Empty until a reviewer decides.
ALTER TABLE opinions ADD COLUMN nature TEXT NOT NULL DEFAULT '' CHECK (nature IN ('', 'conduct', 'work'));
ALTER TABLE opinions ADD COLUMN reach TEXT NOT NULL DEFAULT '' CHECK (reach IN ('', 'common', 'individual'));

-- The suggestion models: the one in use (active = 1) and those before it, each with what it
-- learnt from and how it measured on items it never saw, as encoded by package suggest.
CREATE TABLE suggest_models (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    model      BLOB NOT NULL,
    info       TEXT NOT NULL, -- JSON: suggest.Info
    active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX suggest_models_one_active ON suggest_models (active) WHERE active = 1;

INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-unsolid', 'manifestation', 'formalism', '作风不实、不求实效', 'Work that is not solid or does not seek real results', 10);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-falsify', 'manifestation', 'formalism', '弄虚作假', 'Falsifying or faking results', 20);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-meetings', 'manifestation', 'formalism', '文山会海（会议、文件、简报过多）', 'Too many meetings, documents and briefings', 30);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-perfunctory', 'manifestation', 'formalism', '走过场、流于形式', 'Going through the motions', 40);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-goodnews', 'manifestation', 'formalism', '报喜不报忧、欺上瞒下', 'Reporting only good news, hiding problems from superiors', 50);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-vanity', 'manifestation', 'formalism', '“形象工程”“政绩工程”', 'Vanity projects and showcase achievements', 60);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-festivities', 'manifestation', 'formalism', '节庆、评比表彰和达标活动过多', 'Too many celebrations, award ceremonies and target campaigns', 70);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-hard', 'manifestation', 'bureaucratism', '门难进、脸难看、事难办', 'Hard to get in, unfriendly faces, hard to get things done', 80);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-buckpassing', 'manifestation', 'bureaucratism', '推诿扯皮、久拖不办', 'Passing the buck, letting matters drag on', 90);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-slow', 'manifestation', 'bureaucratism', '办事效率低', 'Slow, inefficient service', 100);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-aloof', 'manifestation', 'bureaucratism', '脱离群众、高高在上', 'Out of touch with people, acting superior', 110);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-cold', 'manifestation', 'bureaucratism', '对患者冷漠、态度生冷硬', 'Cold or harsh towards patients', 120);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-undemocratic', 'manifestation', 'bureaucratism', '重大决策不民主、不科学', 'Major decisions taken without consultation or evidence', 130);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-disobey', 'manifestation', 'bureaucratism', '有令不行、有禁不止', 'Orders not carried out, bans not enforced', 140);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-arbitrary', 'manifestation', 'bureaucratism', '乱收费、乱罚款、乱摊派', 'Arbitrary charges, fines or levies', 150);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-lazy', 'manifestation', 'hedonism', '庸懒散拖', 'Mediocre, lazy, lax or slow at work', 160);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-absent', 'manifestation', 'hedonism', '迟到早退、上班干私事', 'Arriving late, leaving early, private business at work', 170);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-drinking', 'manifestation', 'hedonism', '工作日饮酒', 'Drinking on working days', 180);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-complacent', 'manifestation', 'hedonism', '贪图安逸、不思进取', 'Seeking comfort, no drive to improve', 190);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-privilege', 'manifestation', 'hedonism', '讲究排场、搞特权', 'Showing off and seeking privileges', 200);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-housing', 'manifestation', 'hedonism', '领导干部多占住房、待遇超标', 'Leaders taking extra housing or benefits above standard', 210);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-banquets', 'manifestation', 'extravagance', '公款吃喝、公款送礼', 'Banquets and gifts at public expense', 220);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-receptions', 'manifestation', 'extravagance', '迎来送往、公务接待超标', 'Lavish receptions and send-offs above standard', 230);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-threepublic', 'manifestation', 'extravagance', '“三公”经费开支过大', 'Excessive spending on the “three public expenses” (三公经费)', 240);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-cars', 'manifestation', 'extravagance', '公车私用、超标配车', 'Official cars for private use or above standard', 250);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-slushfund', 'manifestation', 'extravagance', '私设“小金库”', 'Secret “small treasuries” (小金库)', 260);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-waste', 'manifestation', 'extravagance', '铺张浪费、办公经费浪费', 'Extravagance and waste of office funds', 270);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('eightrules', 'family', NULL, '八项规定', 'The eight-point rules (八项规定)', 280);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('threepublic', 'family', NULL, '三公经费', 'The “three public expenses” (三公经费)', 290);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('duty_consumption', 'family', NULL, '职务消费', 'Spending in office (职务消费)', 300);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('favour_consumption', 'family', NULL, '人情消费', 'Gifts and favours (人情消费)', 310);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('official_cars', 'family', NULL, '公务用车', 'Official cars (公务用车)', 320);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('office_space', 'family', NULL, '办公用房', 'Office space (办公用房)', 330);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('conduct', 'family', NULL, '行风/医德医风', 'Professional ethics (行风/医德医风)', 340);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('kickbacks', 'family', NULL, '红包回扣/开单提成', 'Red envelopes and kickbacks (红包回扣/开单提成)', 350);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('arbitrary_fees', 'family', NULL, '乱收费', 'Improper charges (乱收费)', 360);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('overtreatment', 'family', NULL, '不合理诊疗', 'Unnecessary treatment or tests (不合理诊疗)', 370);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('refusing_patients', 'family', NULL, '推诿病人', 'Turning patients away (推诿病人)', 380);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('service_attitude', 'family', NULL, '服务态度', 'Attitude towards patients (服务态度)', 390);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('labour_discipline', 'family', NULL, '劳动纪律', 'Work discipline (劳动纪律)', 400);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('medical_safety', 'family', NULL, '医疗质量安全', 'Quality and safety of care (医疗质量安全)', 410);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('environment_process', 'family', NULL, '就医环境流程', 'Surroundings and procedures (就医环境流程)', 420);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('enforcement', 'family', NULL, '执法', 'Law enforcement (执法)', 430);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('safety_hazard', 'family', NULL, '安全隐患', 'Safety hazards (安全隐患)', 440);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('praise', 'family', NULL, '表扬', 'Praise (表扬)', 450);
