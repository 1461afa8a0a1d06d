-- Nothing changes in a SQLite file at this step: its PostgreSQL twin (crates/team/migrations/postgres/
-- 0019_bulk_load.sql) gives every role allowed to import the server's bulk path of a large ledger import. The
-- step is here so that both dialects count the same versions. (A SQLite import rebuilds its indexes itself:
-- the file has no owner and no rights.)
SELECT 1;
