-- The lines' index by fiscal year goes. Its PostgreSQL twin (crates/team/migrations/postgres/
-- 0021_bulk_load_ids.sql) says why: only the deletion of the lines an import replaces read through it, and every
-- bulk import sorted every line to rebuild it. The twin also makes the server's bulk path of a large ledger import
-- rebuild the primary keys of the lines and invoices; a SQLite import numbers its lines and invoices itself
-- already.
DROP INDEX IF EXISTS ledger_line_year;
