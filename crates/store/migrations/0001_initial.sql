-- The company whose receivables these are (one row).
CREATE TABLE company (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    name      TEXT NOT NULL,
    siren     TEXT,
    address   TEXT,
    currency  TEXT NOT NULL DEFAULT 'EUR'
);

CREATE TABLE customer (
    key                 TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    siren               TEXT,
    address             TEXT,
    email               TEXT,
    phone               TEXT,
    terms               TEXT,            -- net:30, days_eom:45, eom_plus:10, on_receipt; NULL = company default
    credit_limit_minor  INTEGER,
    segment             TEXT,
    collector           TEXT,
    notes               TEXT
) STRICT;

-- Every customer-account line of the ledger, with its dates and lettering, not only what is open.
CREATE TABLE ledger_line (
    id            INTEGER PRIMARY KEY,
    customer_key  TEXT NOT NULL REFERENCES customer(key) ON DELETE RESTRICT,
    journal       TEXT NOT NULL,
    entry_num     TEXT NOT NULL,
    entry_date    TEXT NOT NULL,          -- YYYY-MM-DD
    piece_ref     TEXT NOT NULL,
    piece_date    TEXT,
    label         TEXT NOT NULL DEFAULT '',
    amount_minor  INTEGER NOT NULL,       -- debit − credit, in minor units of currency
    currency      TEXT NOT NULL,
    letter        TEXT,
    letter_date   TEXT,
    due_date      TEXT
) STRICT;
CREATE INDEX ledger_line_customer ON ledger_line(customer_key, entry_date);

CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
