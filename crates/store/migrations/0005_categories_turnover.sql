-- User categories of customers (issue 4: key account, occasional, private person, public body), usable as filters
-- and by dunning scenarios; NULL when not set. Behaviour segments (on time … very late) are computed, not stored.
ALTER TABLE customer ADD COLUMN category TEXT
    CHECK (category IN ('key_account', 'occasional', 'private_person', 'public_body'));

-- The year's turnover excl. VAT (70* accounts of the FEC, or entered by the user) for the D441-6 table,
-- by closing date.
CREATE TABLE fiscal_turnover (
    year_end        TEXT PRIMARY KEY,       -- YYYY-MM-DD
    turnover_minor  INTEGER NOT NULL,
    source          TEXT NOT NULL           -- fec, user
) STRICT;
