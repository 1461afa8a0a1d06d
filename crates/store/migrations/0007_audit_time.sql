-- The audit trail's time of day (local, from the app's clock): the journal says when during the day a change was
-- made. Rows written before this migration have none.
ALTER TABLE audit_log ADD COLUMN at_time TEXT;                  -- HH:MM:SS
