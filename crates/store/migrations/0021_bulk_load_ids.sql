-- Nothing changes in a SQLite file at this step: its PostgreSQL twin (crates/team/migrations/postgres/
-- 0021_bulk_load_ids.sql) makes the server's bulk path of a large ledger import also rebuild the primary keys of
-- the lines and invoices. A SQLite import numbers its lines and invoices itself already (a step kept so that both
-- dialects count the same versions).
SELECT 1;
