-- Letters and emails kept as sent: the exact bytes of each (the PDF printed, the RFC 5322 message as handed to the
-- SMTP server), stored once by their SHA-256, and the hash on the action that sent them. Older actions keep a NULL
-- hash: their documents were never kept (a litigation file regenerates them and says so).
CREATE TABLE document (
    sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),   -- lower-case hex of the bytes' SHA-256
    media_type  TEXT NOT NULL,                                  -- application/pdf, message/rfc822
    bytes       BLOB NOT NULL,
    created_on  TEXT NOT NULL                                   -- YYYY-MM-DD, the day it was first kept
) STRICT;

ALTER TABLE action ADD COLUMN document_sha256 TEXT REFERENCES document(sha256);
