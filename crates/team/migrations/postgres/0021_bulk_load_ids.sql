-- The bulk path of a large ledger import (0019) also drops the primary key of the ledger lines and builds it
-- again at the end (issue 16 goal 6): kept, each line loaded paid a b-tree insertion and a sequence call, a
-- third of the lines' COPY on the 1,000,000-line FEC of BENCHMARKS.md (0.9-1.0 s against 0.56-0.58 s, the
-- import numbering its lines itself; the rebuild costs 0.1 s). The import gives its lines their ids (from the
-- sequence, read once the table is locked) and encaisse_bulk_load_end() moves the sequence past them, as for
-- the invoices. Nothing references ledger_line(id). The definitions are those of 0014_baseline.sql; the rights
-- given on the functions by team init / team upgrade stay (CREATE OR REPLACE keeps them).

CREATE OR REPLACE FUNCTION encaisse_bulk_load_checked() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, pg_temp AS $$
BEGIN
    IF to_regclass('public.ledger_line_pkey') IS NULL
       OR to_regclass('public.ledger_line_customer') IS NULL
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

CREATE OR REPLACE FUNCTION encaisse_bulk_load_begin() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO encaisse_bulk_load DEFAULT VALUES;
    ALTER TABLE ledger_line DROP CONSTRAINT ledger_line_customer_key_fkey,
                            DROP CONSTRAINT ledger_line_batch_id_fkey,
                            DROP CONSTRAINT ledger_line_invoice_id_fkey,
                            DROP CONSTRAINT ledger_line_pkey;
    ALTER TABLE invoice DROP CONSTRAINT invoice_customer_key_fkey;
    DROP INDEX ledger_line_customer, ledger_line_year, invoice_identity;
END
$$;

CREATE OR REPLACE FUNCTION encaisse_bulk_load_end() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    ALTER TABLE ledger_line ADD CONSTRAINT ledger_line_pkey PRIMARY KEY (id);
    CREATE INDEX ledger_line_customer ON ledger_line(customer_key, entry_date);
    CREATE INDEX ledger_line_year ON ledger_line(fiscal_year);
    CREATE INDEX invoice_identity ON invoice(customer_key, piece_ref);
    ALTER TABLE ledger_line
        ADD CONSTRAINT ledger_line_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES customer(key) ON DELETE RESTRICT,
        ADD CONSTRAINT ledger_line_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch(id),
        ADD CONSTRAINT ledger_line_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice(id);
    ALTER TABLE invoice
        ADD CONSTRAINT invoice_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES customer(key) ON DELETE RESTRICT;
    -- The import gave its new lines and invoices their ids itself (the tables locked, from past the sequences
    -- and the largest ids): the sequences go past them.
    PERFORM setval('ledger_line_id_seq', t.m)
       FROM (SELECT max(id) AS m FROM ledger_line) AS t
       WHERE t.m >= (SELECT last_value FROM ledger_line_id_seq);
    PERFORM setval('invoice_id_seq', t.m)
       FROM (SELECT max(id) AS m FROM invoice) AS t
       WHERE t.m >= (SELECT last_value FROM invoice_id_seq);
    DELETE FROM encaisse_bulk_load;
END
$$;
