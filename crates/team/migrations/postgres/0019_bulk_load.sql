-- The bulk path of a large ledger import for the managers (issue 16 goal 6), who are logins of encaisse_manager
-- and do not own the tables. Loaded row by row, each line has its customer, batch and invoice looked up and
-- locked by the server and its indexes updated (four fifths of a 1,000,000-line import); for a bulk import the
-- importer drops the lines' and invoices' foreign keys and secondary indexes inside its transaction and creates
-- them again before its commit (one sort per index, one join per key: a key that does not hold fails the import).
-- Only the tables' owner may change them: these two functions run with their owner's rights (the role that ran
-- `team init`), take no argument and run fixed statements only, nothing a caller writes. EXECUTE is the
-- managers' alone (given by `team init` and `team upgrade` with the other rights: crates/team/src/roles.rs).
-- A transaction that dropped the checks cannot commit without them: the row encaisse_bulk_load_begin() adds
-- queues a check deferred to the commit, which refuses it unless every key and index is back.

-- Server-only (no SQLite twin): one row per bulk load in progress, never visible to another transaction.
CREATE TABLE encaisse_bulk_load (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
);

CREATE FUNCTION encaisse_bulk_load_checked() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, pg_temp AS $$
BEGIN
    IF to_regclass('public.ledger_line_customer') IS NULL
       OR to_regclass('public.ledger_line_year') IS NULL
       OR to_regclass('public.invoice_identity') IS NULL
       OR (SELECT count(*) FROM pg_constraint
           WHERE contype = 'f' AND conrelid IN ('public.ledger_line'::regclass, 'public.invoice'::regclass)
             AND conname IN ('ledger_line_customer_key_fkey', 'ledger_line_batch_id_fkey',
                             'ledger_line_invoice_id_fkey', 'invoice_customer_key_fkey')) <> 4 THEN
        RAISE EXCEPTION 'the keys and indexes of the ledger lines and invoices are not back: a bulk load ends with encaisse_bulk_load_end()'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER encaisse_bulk_load_checked AFTER INSERT ON encaisse_bulk_load
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION encaisse_bulk_load_checked();

-- The definitions are those of 0014_baseline.sql (the store's tests compare the catalog before and after).
CREATE FUNCTION encaisse_bulk_load_begin() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO encaisse_bulk_load DEFAULT VALUES;
    ALTER TABLE ledger_line DROP CONSTRAINT ledger_line_customer_key_fkey,
                            DROP CONSTRAINT ledger_line_batch_id_fkey,
                            DROP CONSTRAINT ledger_line_invoice_id_fkey;
    ALTER TABLE invoice DROP CONSTRAINT invoice_customer_key_fkey;
    DROP INDEX ledger_line_customer, ledger_line_year, invoice_identity;
END
$$;

CREATE FUNCTION encaisse_bulk_load_end() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    CREATE INDEX ledger_line_customer ON ledger_line(customer_key, entry_date);
    CREATE INDEX ledger_line_year ON ledger_line(fiscal_year);
    CREATE INDEX invoice_identity ON invoice(customer_key, piece_ref);
    ALTER TABLE ledger_line
        ADD CONSTRAINT ledger_line_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES customer(key) ON DELETE RESTRICT,
        ADD CONSTRAINT ledger_line_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch(id),
        ADD CONSTRAINT ledger_line_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice(id);
    ALTER TABLE invoice
        ADD CONSTRAINT invoice_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES customer(key) ON DELETE RESTRICT;
    -- The import gave its new invoices their ids itself (the table locked, from past the sequence and the
    -- largest id): the sequence goes past them.
    PERFORM setval('invoice_id_seq', t.m)
       FROM (SELECT max(id) AS m FROM invoice) AS t
       WHERE t.m >= (SELECT last_value FROM invoice_id_seq);
    DELETE FROM encaisse_bulk_load;
END
$$;

REVOKE ALL ON FUNCTION encaisse_bulk_load_begin(), encaisse_bulk_load_end() FROM PUBLIC;
