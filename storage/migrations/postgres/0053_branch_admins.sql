-- PostgreSQL twin of SQLite's 0053: branch administrators (#15), the same column and CHECK.
ALTER TABLE users ADD COLUMN branch TEXT NOT NULL DEFAULT '' CHECK (length(branch) <= 64);
