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

-- Who did what cannot be forged by a client: an audit entry names the server's login that wrote it, whatever the
-- row says (a client writing SQL of its own included). Only the tables' owner (the administrator who ran `team init`,
-- copying a file's trail with `team migrate`) keeps the names it writes.
CREATE FUNCTION audit_log_server_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        NEW."user" := current_user;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_server_user BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_server_user();
