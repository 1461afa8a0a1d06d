-- Imports: where each ledger line came from, the fiscal year it belongs to, and invoices with a stable identity
-- so that what users attach to an invoice survives re-imports.

CREATE TABLE import_batch (
    id             INTEGER PRIMARY KEY,
    source         TEXT NOT NULL,          -- fec, csv, einvoice, demo
    file_name      TEXT NOT NULL,
    content_hash   TEXT NOT NULL,          -- of the file's bytes: the same file twice changes nothing
    fiscal_year    TEXT,                   -- first day of the fiscal year (FEC), YYYY-MM-DD
    period_start   TEXT,
    period_end     TEXT,
    imported_on    TEXT NOT NULL,          -- the clock's today
    lines          INTEGER NOT NULL,
    customers      INTEGER NOT NULL
) STRICT;

-- An invoice's identity: customer key + PieceRef, then date and amount to break ties. Never deleted by an import:
-- an invoice that disappears from a newer file is marked missing.
CREATE TABLE invoice (
    id             INTEGER PRIMARY KEY,
    customer_key   TEXT NOT NULL REFERENCES customer(key) ON DELETE RESTRICT,
    piece_ref      TEXT NOT NULL,
    invoice_date   TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL,
    fiscal_year    TEXT,
    missing_since  TEXT
) STRICT;
CREATE INDEX invoice_identity ON invoice(customer_key, piece_ref);

ALTER TABLE ledger_line ADD COLUMN fiscal_year TEXT;
ALTER TABLE ledger_line ADD COLUMN batch_id INTEGER REFERENCES import_batch(id);
ALTER TABLE ledger_line ADD COLUMN invoice_id INTEGER REFERENCES invoice(id);
CREATE INDEX ledger_line_year ON ledger_line(fiscal_year);

-- What users write about a customer or an invoice: never touched by imports.
CREATE TABLE note (
    id            INTEGER PRIMARY KEY,
    customer_key  TEXT NOT NULL REFERENCES customer(key) ON DELETE RESTRICT,
    invoice_id    INTEGER REFERENCES invoice(id),
    written_on    TEXT NOT NULL,
    author        TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL
) STRICT;
