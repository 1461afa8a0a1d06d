-- ISO 11649 creditor references ("RF…") Encaisse puts on its letters, their SEPA QR codes and its emails: one per
-- customer, recorded the first time a letter or an email carries it and never changed afterwards (a payment may
-- quote it years later); and on each action the reference its letter or email carried. The bank matching reads
-- them back (a payment quoting a customer's reference is that customer's).
CREATE TABLE payment_reference (
    customer_key TEXT PRIMARY KEY REFERENCES customer(key) ON DELETE CASCADE,
    reference    TEXT NOT NULL UNIQUE CHECK (reference GLOB 'RF[0-9][0-9]*'),
    issued_on    TEXT NOT NULL                                    -- YYYY-MM-DD, the day it first went out
) STRICT;

ALTER TABLE action ADD COLUMN payment_reference TEXT;
