-- The bulk path of a large ledger import (0019) also drops the primary keys of the ledger lines and invoices and
-- builds them again at the end (issue 16 goal 6): kept, each line loaded paid a b-tree insertion and a sequence
-- call, each invoice a b-tree insertion, a third of the lines' COPY and half of the invoices' on the
-- 1,000,000-line FEC of BENCHMARKS.md (lines 0.90-1.03 s against 0.56-0.58 s, invoices 0.37 s against
-- 0.17-0.20 s, loaded alone; the two keys' rebuild costs about 0.15 s). The import gives its lines and invoices
-- their ids (from the sequences, read once the tables are locked) and encaisse_bulk_load_end() moves the
-- sequences past them. Nothing references ledger_line(id); the four other tables referencing invoice(id) (notes,
-- and the invoices of actions, promises and disputes) have their foreign keys dropped with the key and made again
-- (one join each over a small table). The definitions are those of 0014_baseline.sql; the rights given on the
-- functions by team init / team upgrade stay (CREATE OR REPLACE keeps them).
--
-- The lines' index by fiscal year goes, in both dialects (0.12-0.18 s of every bulk import's end on the server,
-- a sort of every line on SQLite): the reports read the ledger whole or by customer, a year's lines are read
-- with `fiscal_year IS NULL OR fiscal_year = ?` (which that index does not serve), and the one statement it
-- served, the deletion of the lines an import replaces, now reads the lines once per import instead (on SQLite
-- a bulk import already ran it with the index dropped).
DROP INDEX ledger_line_year;

CREATE OR REPLACE FUNCTION encaisse_bulk_load_checked() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, pg_temp AS $$
BEGIN
    IF to_regclass('public.ledger_line_pkey') IS NULL
       OR to_regclass('public.invoice_pkey') IS NULL
       OR to_regclass('public.ledger_line_customer') IS NULL
       OR to_regclass('public.invoice_identity') IS NULL
       OR (SELECT count(*) FROM pg_constraint
           WHERE contype = 'f'
             AND conrelid IN ('public.ledger_line'::regclass, 'public.invoice'::regclass, 'public.note'::regclass,
                              'public.action_invoice'::regclass, 'public.promise_invoice'::regclass,
                              'public.dispute_invoice'::regclass)
             AND conname IN ('ledger_line_customer_key_fkey', 'ledger_line_batch_id_fkey',
                             'ledger_line_invoice_id_fkey', 'invoice_customer_key_fkey', 'note_invoice_id_fkey',
                             'action_invoice_invoice_id_fkey', 'promise_invoice_invoice_id_fkey',
                             'dispute_invoice_invoice_id_fkey')) <> 8 THEN
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
    ALTER TABLE note DROP CONSTRAINT note_invoice_id_fkey;
    ALTER TABLE action_invoice DROP CONSTRAINT action_invoice_invoice_id_fkey;
    ALTER TABLE promise_invoice DROP CONSTRAINT promise_invoice_invoice_id_fkey;
    ALTER TABLE dispute_invoice DROP CONSTRAINT dispute_invoice_invoice_id_fkey;
    ALTER TABLE invoice DROP CONSTRAINT invoice_customer_key_fkey,
                        DROP CONSTRAINT invoice_pkey;
    DROP INDEX ledger_line_customer, invoice_identity;
END
$$;

CREATE OR REPLACE FUNCTION encaisse_bulk_load_end() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    ALTER TABLE invoice ADD CONSTRAINT invoice_pkey PRIMARY KEY (id);
    ALTER TABLE ledger_line ADD CONSTRAINT ledger_line_pkey PRIMARY KEY (id);
    CREATE INDEX ledger_line_customer ON ledger_line(customer_key, entry_date);
    CREATE INDEX invoice_identity ON invoice(customer_key, piece_ref);
    ALTER TABLE ledger_line
        ADD CONSTRAINT ledger_line_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES customer(key) ON DELETE RESTRICT,
        ADD CONSTRAINT ledger_line_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch(id),
        ADD CONSTRAINT ledger_line_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice(id);
    ALTER TABLE invoice
        ADD CONSTRAINT invoice_customer_key_fkey FOREIGN KEY (customer_key) REFERENCES customer(key) ON DELETE RESTRICT;
    ALTER TABLE note
        ADD CONSTRAINT note_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice(id);
    ALTER TABLE action_invoice
        ADD CONSTRAINT action_invoice_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice(id) ON DELETE CASCADE;
    ALTER TABLE promise_invoice
        ADD CONSTRAINT promise_invoice_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice(id) ON DELETE CASCADE;
    ALTER TABLE dispute_invoice
        ADD CONSTRAINT dispute_invoice_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice(id) ON DELETE CASCADE;
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
