-- PostgreSQL's partial GIN index over the staff documents' tokens (#15): nothing to change on
-- SQLite, whose FTS4 index reads each term's documents newest first already (0037). The file
-- keeps the number and name of the PostgreSQL migration so that both engines record the same
-- migrations.
SELECT 1;
