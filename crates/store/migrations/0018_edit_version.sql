-- Concurrent edits of what is not a row of its own (issue 16): the collection, email, letter and platform
-- settings, an email template, a customer's chase (its own scenario, its pause). One row per subject
-- ('settings:collection', 'template:ID/LANG', 'customer:KEY'…): how many times it was saved, by whom, at what time.
-- A screen sends back the version it read; a save made on an older one is refused ("modifié par NOM à HH:MM —
-- recharger") instead of overwriting a colleague's change.
CREATE TABLE edit_version (
    subject     TEXT PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version > 0),
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);
