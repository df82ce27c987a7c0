-- PostgreSQL's full-text index (#15): nothing to change on SQLite, whose index is FTS4 (0023,
-- 0037). The file keeps the number and name of the PostgreSQL migration so that both engines
-- record the same migrations.
SELECT 1;
