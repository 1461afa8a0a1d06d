-- SQLite's 0015_ledger_form.sql: the compact ledger form, emptied by any change of a line or a customer. The
-- trigger function runs with its owner's rights, so that a role allowed to change customers or lines empties
-- the table even without a right on it.
CREATE TABLE ledger_form (
    part BIGINT PRIMARY KEY,
    fiscal_year TEXT,
    built_with TEXT NOT NULL,
    data BYTEA NOT NULL
);
CREATE FUNCTION ledger_form_stale() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    DELETE FROM ledger_form;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_form_line AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ledger_line
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_form_stale();
CREATE TRIGGER ledger_form_customer AFTER INSERT OR UPDATE OF key, terms OR DELETE OR TRUNCATE ON customer
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_form_stale();
