-- SQLite's 0017_portfolio.sql: the collector of a segment's or category's customers, and a customer's own.
CREATE TABLE portfolio_rule (
    by_kind    TEXT NOT NULL CHECK (by_kind IN ('segment', 'category')),
    value      TEXT NOT NULL,
    collector  TEXT NOT NULL CHECK (collector <> ''),
    PRIMARY KEY (by_kind, value)
);

CREATE TABLE customer_collector (
    customer_key  TEXT PRIMARY KEY REFERENCES customer(key) ON DELETE CASCADE,
    collector     TEXT NOT NULL CHECK (collector <> '')
);

-- A promise's version and last change: two people changing the same promise at once, the second is refused with
-- who changed it and when ("modifié par NOM à HH:MM — recharger").
ALTER TABLE promise ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE promise ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE promise ADD COLUMN changed_at TEXT;
