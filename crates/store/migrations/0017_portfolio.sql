-- Portfolios (issue 16): the collector who follows a customer — a login, the server's role on a team server.
-- A customer's own collector, over the one its category is given, over the one its segment is given (the
-- precedence of scenarios); none: nobody's, on every agenda of the team. Managers change them, audited.
CREATE TABLE portfolio_rule (
    by_kind    TEXT NOT NULL CHECK (by_kind IN ('segment', 'category')),
    value      TEXT NOT NULL,
    collector  TEXT NOT NULL CHECK (collector <> ''),
    PRIMARY KEY (by_kind, value)
) STRICT;

CREATE TABLE customer_collector (
    customer_key  TEXT PRIMARY KEY REFERENCES customer(key) ON DELETE CASCADE,
    collector     TEXT NOT NULL CHECK (collector <> '')
) STRICT;

-- A promise's version and last change: two people changing the same promise at once, the second is refused with
-- who changed it and when ("modifié par NOM à HH:MM — recharger").
ALTER TABLE promise ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE promise ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE promise ADD COLUMN changed_at TEXT;
