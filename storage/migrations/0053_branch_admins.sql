-- Branch administrators (#15): an administrator limited to one branch of the unit tree (a
-- county within a province). branch is the code of the branch's root unit; '' is the whole
-- tree, as every administrator was before. Only an administrator has one (storage checks it).
ALTER TABLE users ADD COLUMN branch TEXT NOT NULL DEFAULT '' CHECK (length(branch) <= 64);
