-- The collections workflow: dunning scenarios and who follows which, the actions log, promises to pay, disputes.
-- Everything users record hangs off customer.key and invoice.id, which imports keep (an invoice is never deleted by
-- an import, only marked missing). ON DELETE CASCADE only ever fires when the demo company is removed: real
-- customers and invoices are never deleted.

-- User scenarios. The standard scenario lives in the code (encaisse_dunning::Scenario::standard) until a user saves
-- one with id 'default'.
CREATE TABLE scenario (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    updated_on  TEXT NOT NULL
) STRICT;

CREATE TABLE scenario_step (
    scenario_id       TEXT NOT NULL REFERENCES scenario(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    step_id           TEXT NOT NULL,
    offset_days       INTEGER NOT NULL,                 -- from the due date, negative before it
    channels          TEXT NOT NULL,                    -- email, letter, call, sms_task joined by '+'
    template_id       TEXT NOT NULL,                    -- the message's template (emails, letters)
    needs_validation  INTEGER NOT NULL CHECK (needs_validation IN (0, 1)),
    PRIMARY KEY (scenario_id, position),
    UNIQUE (scenario_id, step_id)
) STRICT;

-- A scenario for every customer of a segment (customer.segment) or of a user category.
CREATE TABLE scenario_assignment (
    by_kind      TEXT NOT NULL CHECK (by_kind IN ('segment', 'category')),
    value        TEXT NOT NULL,
    scenario_id  TEXT NOT NULL,                         -- a scenario row, or 'default'
    PRIMARY KEY (by_kind, value)
) STRICT;

-- A customer's own collections settings; no row: its assigned scenario, not paused.
CREATE TABLE customer_dunning (
    customer_key  TEXT PRIMARY KEY REFERENCES customer(key) ON DELETE CASCADE,
    scenario_id   TEXT,                                 -- override: a scenario row, or 'default'; NULL = assigned
    paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    pause_reason  TEXT NOT NULL DEFAULT ''
) STRICT;

-- Every email sent, letter printed, call made, SMS sent by hand and note written.
CREATE TABLE action (
    id              INTEGER PRIMARY KEY,
    customer_key    TEXT NOT NULL REFERENCES customer(key) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('email', 'letter', 'call', 'sms', 'note')),
    done_on         TEXT NOT NULL,                      -- YYYY-MM-DD
    user            TEXT NOT NULL DEFAULT '',
    -- The scenario step this action carried out: done for every invoice linked below.
    scenario_id     TEXT,
    step_id         TEXT,
    outcome         TEXT CHECK (outcome IN ('promise', 'dispute', 'no_answer', 'wrong_contact', 'says_paid',
                                            'call_back')),
    next_action_on  TEXT,                               -- call back on, or the next thing to do
    -- What went out: the template it came from, the address and subject of an email; the body (or the note).
    template_id     TEXT,
    recipient       TEXT,
    subject         TEXT,
    body            TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX action_customer ON action(customer_key, done_on);

CREATE TABLE action_invoice (
    action_id   INTEGER NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    invoice_id  INTEGER NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, invoice_id)
) STRICT;
CREATE INDEX action_invoice_invoice ON action_invoice(invoice_id);

CREATE TABLE promise (
    id            INTEGER PRIMARY KEY,
    customer_key  TEXT NOT NULL REFERENCES customer(key) ON DELETE CASCADE,
    made_on       TEXT NOT NULL,                        -- the chase pauses from this day
    promised_on   TEXT NOT NULL,                        -- the day the customer said it would pay
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT NOT NULL,
    grace_days    INTEGER NOT NULL CHECK (grace_days >= 0),
    -- Last computed from the ledger (kept when the money came by promised_on + grace, broken after).
    status        TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'kept', 'broken')),
    status_on     TEXT,                                 -- the day the status was computed for
    action_id     INTEGER REFERENCES action(id) ON DELETE SET NULL,   -- the call it was made in
    user          TEXT NOT NULL DEFAULT '',
    comment       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX promise_customer ON promise(customer_key);

CREATE TABLE promise_invoice (
    promise_id  INTEGER NOT NULL REFERENCES promise(id) ON DELETE CASCADE,
    invoice_id  INTEGER NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
    PRIMARY KEY (promise_id, invoice_id)
) STRICT;
CREATE INDEX promise_invoice_invoice ON promise_invoice(invoice_id);

CREATE TABLE dispute (
    id            INTEGER PRIMARY KEY,
    customer_key  TEXT NOT NULL REFERENCES customer(key) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('price', 'quantity', 'quality', 'delivery', 'invoicing_error',
                                                'missing_purchase_order', 'duplicate', 'other')),
    department    TEXT NOT NULL CHECK (department IN ('sales', 'logistics', 'quality', 'accounting')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_on     TEXT NOT NULL,
    closed_on     TEXT,
    amount_minor  INTEGER NOT NULL,                     -- what is disputed (open amount of its invoices by default)
    currency      TEXT NOT NULL,
    user          TEXT NOT NULL DEFAULT '',
    resolution    TEXT NOT NULL DEFAULT '',
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
) STRICT;
CREATE INDEX dispute_customer ON dispute(customer_key);

CREATE TABLE dispute_invoice (
    dispute_id  INTEGER NOT NULL REFERENCES dispute(id) ON DELETE CASCADE,
    invoice_id  INTEGER NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
    PRIMARY KEY (dispute_id, invoice_id)
) STRICT;
CREATE INDEX dispute_invoice_invoice ON dispute_invoice(invoice_id);

CREATE TABLE dispute_comment (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES dispute(id) ON DELETE CASCADE,
    written_on  TEXT NOT NULL,
    user        TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL
) STRICT;

-- The demo company's invoices get an identity too (as a new demo company's do), so that the workflow can be tried
-- on it.
INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor, source)
SELECT customer_key, piece_ref, coalesce(piece_date, entry_date), amount_minor, 'demo'
FROM ledger_line WHERE invoice_id IS NULL AND batch_id IS NULL AND amount_minor > 0
  AND EXISTS (SELECT 1 FROM setting WHERE key = 'demo_company' AND value = '1');
UPDATE ledger_line SET invoice_id = (
    SELECT i.id FROM invoice i WHERE i.source = 'demo' AND i.customer_key = ledger_line.customer_key
       AND i.piece_ref = ledger_line.piece_ref ORDER BY i.id LIMIT 1)
WHERE invoice_id IS NULL AND batch_id IS NULL AND amount_minor > 0
  AND EXISTS (SELECT 1 FROM setting WHERE key = 'demo_company' AND value = '1');
