-- Bank statements in, their entries and what each entry pays (issue 15). Money as integer minor units in the
-- account's currency; dates as YYYY-MM-DD; texts kept as the bank wrote them.

-- One bank account: its IBAN (compact, upper case) or the bank's account id when the file gives no IBAN.
CREATE TABLE bank_account (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL UNIQUE,
    currency TEXT NOT NULL
);

-- One statement as imported: its file, format, dates and balances. `statement_key` is its id in the file, else a
-- fingerprint of its entries: the same statement imported twice is found by (account, dates, key).
CREATE TABLE bank_statement (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES bank_account(id),
    file_name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    format TEXT NOT NULL,
    statement_key TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    opening_minor INTEGER,
    closing_minor INTEGER,
    imported_on TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    UNIQUE (account_id, from_date, to_date, statement_key)
);

-- One booked movement, once whatever the number of (overlapping) statements that carried it: `identity` is the
-- bank's reference, else account + date + amount + label + rank (encaisse_bank::Entry::id).
CREATE TABLE bank_entry (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES bank_account(id),
    booking_date TEXT NOT NULL,
    value_date TEXT,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    label TEXT NOT NULL,
    counterparty_name TEXT,
    counterparty_iban TEXT,
    -- JSON arrays of strings.
    remittance TEXT NOT NULL DEFAULT '[]',
    refs TEXT NOT NULL DEFAULT '[]',
    bank_reference TEXT,
    end_to_end_id TEXT
);
CREATE INDEX bank_entry_date ON bank_entry (booking_date);

-- Which statements carried an entry (and at which line of their file). An entry whose last statement is removed
-- goes with it.
CREATE TABLE bank_statement_entry (
    statement_id INTEGER NOT NULL REFERENCES bank_statement(id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES bank_entry(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    PRIMARY KEY (statement_id, entry_id)
);
CREATE INDEX bank_statement_entry_entry ON bank_statement_entry (entry_id);

-- What a credit entry is: matched | suggested | unmatched | on_account | ignored; decided by 'auto' (the matching
-- at import) or 'user' (then never replaced by an automatic match). `reasons` and `suggestions` are JSON as the
-- matching gave them.
CREATE TABLE bank_match (
    entry_id INTEGER PRIMARY KEY REFERENCES bank_entry(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('matched', 'suggested', 'unmatched', 'on_account', 'ignored')),
    customer_key TEXT,
    score INTEGER,
    reasons TEXT NOT NULL DEFAULT '[]',
    suggestions TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL CHECK (decided_by IN ('auto', 'user')),
    user TEXT NOT NULL DEFAULT '',
    decided_on TEXT NOT NULL
);
CREATE INDEX bank_match_status ON bank_match (status);

-- The amounts of an entry put on invoices (by customer key and invoice number, as the ledger names them).
CREATE TABLE bank_allocation (
    entry_id INTEGER NOT NULL REFERENCES bank_entry(id) ON DELETE CASCADE,
    customer_key TEXT NOT NULL,
    invoice TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (entry_id, customer_key, invoice)
);
CREATE INDEX bank_allocation_invoice ON bank_allocation (customer_key, invoice);

-- IBANs customers paid from, learned when a user confirmed a match.
CREATE TABLE bank_iban (
    iban TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    learned_on TEXT NOT NULL,
    user TEXT NOT NULL,
    PRIMARY KEY (iban, customer_key)
);
