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
