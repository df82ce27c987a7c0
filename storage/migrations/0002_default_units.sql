-- A small, realistic default tree so a new portal is usable at once. Administrators rename,
-- add and retire units later; the codes are printed on posters (/submit?unit=CODE), so they stay.
INSERT INTO units (code, name, parent_code, sort_order) VALUES
    ('bureau',          '县卫生健康局机关', NULL,     10),
    ('county-hospital', '县人民医院',       'bureau', 20),
    ('tcm-hospital',    '县中医院',         'bureau', 30),
    ('mch-hospital',    '县妇幼保健院',     'bureau', 40),
    ('chengguan-thc',   '城关镇卫生院',     'bureau', 50),
    ('qingshan-thc',    '青山乡卫生院',     'bureau', 60);
