-- Email: the user's edits of the message templates (the defaults live in the code, encaisse_app::mail::templates),
-- and the audit trail, an append-only record of what was sent and of changes to settings and templates.

-- A row exists only once a user edited a template; deleting it brings the default back.
CREATE TABLE mail_template (
    id          TEXT NOT NULL,                          -- pre_reminder, reminder_1 … thank_you, daily_report
    lang        TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_on  TEXT NOT NULL,
    user        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (id, lang)
) STRICT;

-- Append-only: the triggers below refuse any change or deletion of a written row.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    on_day      TEXT NOT NULL,                          -- YYYY-MM-DD, from the app's clock
    user        TEXT NOT NULL DEFAULT '',
    entity      TEXT NOT NULL,                          -- email, smtp, mail_settings, mail_template …
    entity_id   TEXT NOT NULL DEFAULT '',               -- the customer, the template id …
    action      TEXT NOT NULL,                          -- sent, failed, test, update, reset …
    before      TEXT,                                   -- JSON, never a secret
    after       TEXT                                    -- JSON, never a secret
) STRICT;
CREATE INDEX audit_log_day ON audit_log(on_day, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
