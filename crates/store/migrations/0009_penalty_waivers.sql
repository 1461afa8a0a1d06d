-- Penalties on invoices paid late that the user chose not to claim, with the reason typed. Keyed by the customer and
-- the invoice number (not invoice.id), so that a waiver survives any re-import of the ledger; the statement keeps a
-- waived invoice listed, marked waived, outside its totals.
CREATE TABLE penalty_waiver (
    customer_key  TEXT NOT NULL REFERENCES customer(key) ON DELETE CASCADE,
    invoice       TEXT NOT NULL,                        -- the invoice's number (piece_ref)
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    waived_on     TEXT NOT NULL,                        -- YYYY-MM-DD
    user          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (customer_key, invoice)
) STRICT;
