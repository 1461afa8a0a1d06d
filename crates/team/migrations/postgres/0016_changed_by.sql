-- SQLite's 0016_changed_by.sql: a scenario's version and last change (who, when), who closed a dispute and when.
ALTER TABLE scenario ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scenario ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE scenario ADD COLUMN changed_at TEXT;
ALTER TABLE dispute ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE dispute ADD COLUMN closed_at TEXT;
