-- Cirt embedded profile: the query side. Grains publish a summary here after every change; the
-- triage queue, sector views and stakeholder listings read these tables instead of calling grains.
-- Multi-valued columns hold '|'-delimited lists with a leading and trailing '|' so that a filter
-- matches a whole code ('%|ENERGY|%').

CREATE TABLE incident_queue
(
    tracking_id       TEXT    NOT NULL PRIMARY KEY,
    title             TEXT    NOT NULL,
    status            INTEGER NOT NULL,
    severity          INTEGER NOT NULL,
    tlp               INTEGER NOT NULL,
    reporter          TEXT    NOT NULL,
    sectors           TEXT    NOT NULL,
    stakeholders      TEXT    NOT NULL,
    rsit_class        TEXT    NOT NULL,
    rsit_type         TEXT    NOT NULL,
    assignee          TEXT    NOT NULL,
    reported_at       INTEGER NOT NULL, -- Unix time, milliseconds
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL
);

CREATE INDEX ix_incident_queue_status_reported ON incident_queue (status, reported_at DESC);
CREATE INDEX ix_incident_queue_reported ON incident_queue (reported_at DESC);
CREATE INDEX ix_incident_queue_severity ON incident_queue (severity DESC, reported_at DESC);

CREATE TABLE stakeholder_directory
(
    id       TEXT    NOT NULL PRIMARY KEY,
    sectors  TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    document TEXT    NOT NULL -- the stakeholder as JSON
);
