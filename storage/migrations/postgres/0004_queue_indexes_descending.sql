-- Folded into 0001_init.sql: PostgreSQL starts at the schema SQLite's 0001–0040 leave.
-- This file keeps the number and name of SQLite's 0004_queue_indexes_descending.sql so both backends record the same
-- migrations.
SELECT 1;
