-- SQLite's 0018_edit_version.sql: the version of a setting, a template or a customer's chase, and its last change.
CREATE TABLE edit_version (
    subject     TEXT PRIMARY KEY,
    version     BIGINT NOT NULL CHECK (version > 0),
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);
