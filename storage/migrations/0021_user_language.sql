-- Each staff member reads the staff pages in the language of their profile ('' is the portal's
-- default, zh-CN). Public visitors have no such column anywhere: their language lives in the
-- page's path alone.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '' CHECK (length(lang) <= 16);
