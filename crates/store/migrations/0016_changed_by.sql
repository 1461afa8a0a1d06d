-- Concurrent edits on a team's server (issue 16): who changed a scenario last, when, and how many times (the
-- version a screen read: a save made on an older version is refused, "modifié par NOM à HH:MM — recharger",
-- instead of overwriting a colleague's change); who closed a dispute and when (a second close names them).
ALTER TABLE scenario ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scenario ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE scenario ADD COLUMN changed_at TEXT;
ALTER TABLE dispute ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE dispute ADD COLUMN closed_at TEXT;
