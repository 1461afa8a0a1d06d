-- The accredited platform's flows (AFNOR XP Z12-013 Flow Service, issue 15 item 6): each lifecycle flow received
-- and what became of it ('imported', or 'failed' with why), and each 212 message Encaisse posted ('sent'), so
-- nothing is imported or sent twice. The settings (URLs, client id, Organization-Id, the search cursor) are in
-- `setting` under `pa.`; the client secret only in the OS keyring.
CREATE TABLE pa_flow (
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    flow_id TEXT NOT NULL,
    -- The platform's updatedAt (RFC 3339) of a flow received.
    updated_at TEXT,
    -- The CDAR message: of the file imported, or of the 212 posted.
    message_id TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'failed', 'sent')),
    reason TEXT,
    recorded_on TEXT NOT NULL,
    PRIMARY KEY (direction, flow_id)
);
CREATE INDEX pa_flow_message ON pa_flow (message_id);
