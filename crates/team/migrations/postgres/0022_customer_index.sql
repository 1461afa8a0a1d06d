-- The lines' index by customer keeps the customer alone (issue 16 goal 6). Nothing reads the lines in (customer,
-- entry date) order through it: the reports read the ledger whole and sort it in memory, and the statements that
-- find a customer's lines (an e-invoice's due date written on its lines, a customer's deletion checked against
-- its lines) look up one customer, a few dozen lines. On the 1,000,000-line FEC of BENCHMARKS.md its rebuild at
-- the end of a bulk import took 250-300 ms (389,442 lines sorted on two text columns) and takes 110-150 ms by
-- customer alone (ties broken by the row's place, the customer's duplicates kept once: 3 MB instead of 15 MB).
-- encaisse_bulk_load_end() builds it so; the rest of its body is 0021's. SQLite changes the same index
-- (crates/store/migrations/0022_customer_index.sql).
DROP INDEX ledger_line_customer;
CREATE INDEX ledger_line_customer ON ledger_line(customer_key);

CREATE OR REPLACE FUNCTION encaisse_bulk_load_end() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    ALTER TABLE invoice ADD CONSTRAINT invoice_pkey PRIMARY KEY (id);
    ALTER TABLE ledger_line ADD CONSTRAINT ledger_line_pkey PRIMARY KEY (id);
    CREATE INDEX ledger_line_customer ON ledger_line(customer_key);
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
