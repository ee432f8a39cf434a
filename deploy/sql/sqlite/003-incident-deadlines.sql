-- Cirt embedded profile: the deadlines running on incidents (NIS2 stages), published by the
-- incident grains with their summary, so that "what is due or overdue across the country" is one
-- indexed query. Times are Unix milliseconds; met_at and escalated_at are NULL until they happen.

CREATE TABLE incident_deadline
(
    tracking_id  TEXT    NOT NULL REFERENCES incident_queue (tracking_id),
    kind         INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    met_at       INTEGER NULL,
    escalated_at INTEGER NULL,
    basis        TEXT    NOT NULL,
    PRIMARY KEY (tracking_id, kind)
) WITHOUT ROWID;

CREATE INDEX ix_incident_deadline_due ON incident_deadline (due_at, tracking_id, kind);
