-- minsheng: foreign_keys off
-- Units get a kind (局机关, 股室, 县直医疗卫生单位, 乡镇卫生院, 社区卫生服务中心（站）, 村卫生室,
-- 民营医疗机构, 科室/病区) so an administrator can keep the tree, departments included.
--
-- The table is rebuilt (create, copy, drop, rename, as in 0005) rather than altered, for two
-- reasons an ALTER TABLE cannot serve:
--   - names: every hospital has a 内科, so a department's name is unique only under its unit;
--     other units keep one name in the whole county (they are listed by name alone);
--   - the code CHECK of 0001, GLOB '[a-z0-9-]*', tested only the first character. It now holds
--     for every character: lowercase letters, digits and '-', 1 to 40 of them.
CREATE TABLE units_new (
    code        TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40 AND code NOT GLOB '*[^a-z0-9-]*'),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    parent_code TEXT REFERENCES units_new(code),
    kind        TEXT NOT NULL DEFAULT 'county'
                CHECK (kind IN ('bureau', 'section', 'county', 'township', 'community', 'village', 'private', 'dept')),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK (kind != 'dept' OR parent_code IS NOT NULL)
);
INSERT INTO units_new (code, name, parent_code, kind, sort_order, active)
SELECT code, name, parent_code,
       CASE code WHEN 'bureau' THEN 'bureau'
                 WHEN 'chengguan-thc' THEN 'township'
                 WHEN 'qingshan-thc' THEN 'township'
                 ELSE 'county' END,
       sort_order, active
FROM units;
DROP TABLE units;
ALTER TABLE units_new RENAME TO units;

CREATE UNIQUE INDEX units_by_name ON units (name) WHERE kind != 'dept';
CREATE UNIQUE INDEX units_dept_by_name ON units (parent_code, name) WHERE kind = 'dept';
CREATE INDEX units_by_parent ON units (parent_code, sort_order);
