-- E-invoicing lifecycle statuses (CDAR D22B messages, issue 15): those the accredited platform sent about the
-- company's invoices (direction 'in') and the 212 "Encaissée" Encaisse wrote (direction 'out'). One row per
-- status of a message: (message id, rank, direction) is its identity, so the same message imported twice
-- changes nothing. Money as integer minor units of the company's currency; dates as YYYY-MM-DD.
CREATE TABLE einvoice_status (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    message_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    -- The invoice the status is attached to (customer key + number); NULL customer when no invoice matched.
    customer_key TEXT,
    invoice TEXT NOT NULL,
    invoice_date TEXT,
    seller_siren TEXT,
    buyer_siren TEXT,
    code INTEGER NOT NULL,
    status_date TEXT NOT NULL,
    issuer TEXT,
    issuer_role TEXT,
    reason TEXT,
    reason_text TEXT,
    amount_minor INTEGER,
    file_name TEXT NOT NULL,
    recorded_on TEXT NOT NULL,
    -- 1 when an incoming 212 echoes one Encaisse sent (same message id, or issued by the company): not counted.
    echo INTEGER NOT NULL DEFAULT 0,
    -- The dispute this status opened (207, 206, 208, 210), if any.
    dispute_id INTEGER,
    UNIQUE (direction, message_id, rank)
);
CREATE INDEX einvoice_status_invoice ON einvoice_status (customer_key, invoice);
