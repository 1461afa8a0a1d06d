-- The acting user's display name ("Marie Martin") beside the login each audit entry already records, as it was
-- when the entry was written. The names themselves are settings keyed by login ("user_name:<login>").
ALTER TABLE audit_log ADD COLUMN user_name TEXT NOT NULL DEFAULT '';
