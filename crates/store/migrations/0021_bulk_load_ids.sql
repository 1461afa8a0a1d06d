-- Nothing changes in a SQLite file at this step: its PostgreSQL twin (crates/team/migrations/postgres/
-- 0021_bulk_load_ids.sql) makes the server's bulk path of a large ledger import also rebuild the lines' primary
-- key. A SQLite import numbers its lines itself already (a step kept so that both dialects count the same
-- versions).
SELECT 1;
