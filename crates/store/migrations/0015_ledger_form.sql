-- The compact ledger form the aged balance and the DSO read (issue 17): each fiscal year's ledger in the integer
-- form of `encaisse_analytics::compact_aging`, and the sales index of the whole ledger, kept so that a new process
-- reads a few megabytes instead of every line. Written by the app after it read the lines (only when nothing was
-- committed meanwhile); never trusted once a line or a customer changed: the triggers below empty the table in
-- the writing transaction, whichever connection writes (of a customer, what the form depends on: its key and
-- its terms; the names are read with the customers). What else it was built from (the layout's version, the
-- default payment terms, the currency's minor digits) is in `built_with`, compared by the reader.
CREATE TABLE ledger_form (
    -- 0, 1, …: the fiscal years' ledgers, oldest first (or the one ledger when no line has a year), then the
    -- whole ledger when there are several years; -1: the sales index of the whole ledger.
    part INTEGER PRIMARY KEY,
    fiscal_year TEXT,
    built_with TEXT NOT NULL,
    data BLOB NOT NULL
) STRICT;
CREATE TRIGGER ledger_form_line_insert AFTER INSERT ON ledger_line BEGIN DELETE FROM ledger_form; END;
CREATE TRIGGER ledger_form_line_update AFTER UPDATE ON ledger_line BEGIN DELETE FROM ledger_form; END;
CREATE TRIGGER ledger_form_line_delete AFTER DELETE ON ledger_line BEGIN DELETE FROM ledger_form; END;
CREATE TRIGGER ledger_form_customer_insert AFTER INSERT ON customer BEGIN DELETE FROM ledger_form; END;
CREATE TRIGGER ledger_form_customer_update AFTER UPDATE OF key, terms ON customer BEGIN DELETE FROM ledger_form; END;
CREATE TRIGGER ledger_form_customer_delete AFTER DELETE ON customer BEGIN DELETE FROM ledger_form; END;
