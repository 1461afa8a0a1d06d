-- Customers files, open-invoice files and e-invoices. An invoice remembers which source created it (fec, csv,
-- einvoice): a re-import replaces and marks missing only its own source's invoices. A due date known from the
-- invoice itself (e-invoice BT-9) is kept on the invoice so that it survives re-imports of the ledger.
ALTER TABLE invoice ADD COLUMN source TEXT;
UPDATE invoice SET source = 'fec';
ALTER TABLE invoice ADD COLUMN due_date TEXT;
