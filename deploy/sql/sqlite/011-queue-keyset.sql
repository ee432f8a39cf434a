-- Cirt embedded profile: every list of the queue costs what its page costs (issue 15).
--
-- 1. Membership tables instead of text matching: incident_sector holds one row per sector an
--    incident affects, incident_party one per organisation that reported it or is affected by it
--    (is_reporter 1 for the reporter, who may also be listed as affected: one row either way). Each
--    row carries a copy of the queue row's sort keys (status, severity, reported_severity,
--    reported_at) and, for parties, its TLP, so that a filter on a sector or an organisation is
--    one index range read in the order asked. They are written in the same transaction as the
--    queue row, only when the queue row is (the same version gate), and filled here from the rows
--    already there.
-- 2. Composite indexes that serve each order within each equality filter (status, severity):
--    "newest first" is (..., reported_at DESC, tracking_id DESC), "most severe first" is
--    (..., severity DESC, reported_severity DESC, reported_at DESC, tracking_id DESC). A query over
--    several statuses or severities merges one ordered seek per value (UNION ALL, merged by SQLite).
--    Pages go on after the last row's sort key and tracking id (keyset), never by OFFSET.
-- 3. Counts kept by triggers per (sector, status, severity, exercise) and per (organisation, role,
--    TLP, status, severity, exercise), beside incident_counts (010), so that total_size of a list
--    filtered by one sector or one organisation (and an operator's own list) is read, not counted.
-- 4. Lists of open deadlines and tasks read partial indexes in their order.

CREATE TABLE incident_sector
(
    sector            TEXT    NOT NULL,
    tracking_id       TEXT    NOT NULL,
    status            INTEGER NOT NULL,
    severity          INTEGER NOT NULL,
    reported_severity INTEGER NOT NULL,
    reported_at       INTEGER NOT NULL,
    exercise          INTEGER NOT NULL,
    PRIMARY KEY (sector, status, severity, reported_at, tracking_id)
) WITHOUT ROWID;

CREATE TABLE incident_party
(
    stakeholder       TEXT    NOT NULL,
    tracking_id       TEXT    NOT NULL,
    is_reporter       INTEGER NOT NULL,
    tlp               INTEGER NOT NULL,
    status            INTEGER NOT NULL,
    severity          INTEGER NOT NULL,
    reported_severity INTEGER NOT NULL,
    reported_at       INTEGER NOT NULL,
    exercise          INTEGER NOT NULL,
    PRIMARY KEY (stakeholder, status, severity, reported_at, tracking_id)
) WITHOUT ROWID;

-- The sectors and affected organisations of the rows already in the queue, split out of their
-- '|a|b|' list columns.
WITH RECURSIVE split (tracking_id, rest, entry) AS (
    SELECT tracking_id, substr(sectors, 2), NULL FROM incident_queue
    UNION ALL
    SELECT tracking_id, substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1)
    FROM split WHERE instr(rest, '|') > 0
)
INSERT INTO incident_sector (sector, tracking_id, status, severity, reported_severity, reported_at, exercise)
SELECT DISTINCT s.entry, q.tracking_id, q.status, q.severity, q.reported_severity, q.reported_at, q.exercise
FROM split s JOIN incident_queue q ON q.tracking_id = s.tracking_id
WHERE s.entry IS NOT NULL AND s.entry <> '';

INSERT INTO incident_party (stakeholder, tracking_id, is_reporter, tlp, status, severity, reported_severity, reported_at, exercise)
SELECT reporter, tracking_id, 1, tlp, status, severity, reported_severity, reported_at, exercise
FROM incident_queue WHERE reporter <> '';

WITH RECURSIVE split (tracking_id, rest, entry) AS (
    SELECT tracking_id, substr(stakeholders, 2), NULL FROM incident_queue
    UNION ALL
    SELECT tracking_id, substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1)
    FROM split WHERE instr(rest, '|') > 0
)
INSERT INTO incident_party (stakeholder, tracking_id, is_reporter, tlp, status, severity, reported_severity, reported_at, exercise)
SELECT DISTINCT s.entry, q.tracking_id, 0, q.tlp, q.status, q.severity, q.reported_severity, q.reported_at, q.exercise
FROM split s JOIN incident_queue q ON q.tracking_id = s.tracking_id
WHERE s.entry IS NOT NULL AND s.entry <> '' AND s.entry <> q.reporter;

-- Three orders per source, each a B-tree of its own (every one more costs each write of an
-- incident): "newest first" overall; "newest first" within a status and severity (for the
-- membership tables, the table itself, clustered by its primary key); "most severe first" within
-- a status. A filter on statuses or severities alone reads one seek per value of the other too
-- (eight statuses, five severities). A membership row is found by its whole key, which the queue
-- row it copies gives (so no index by incident is needed either).
DROP INDEX ix_incident_queue_status_reported;
DROP INDEX ix_incident_queue_reported;
DROP INDEX ix_incident_queue_severity;
CREATE INDEX ix_incident_queue_newest ON incident_queue (reported_at DESC, tracking_id DESC);
CREATE INDEX ix_incident_queue_status_severity_newest ON incident_queue (status, severity, reported_at DESC, tracking_id DESC);
CREATE INDEX ix_incident_queue_status_severe ON incident_queue (status, severity DESC, reported_severity DESC, reported_at DESC, tracking_id DESC);

CREATE INDEX ix_incident_sector_newest ON incident_sector (sector, reported_at DESC, tracking_id DESC);
CREATE INDEX ix_incident_sector_status_severe ON incident_sector (sector, status, severity DESC, reported_severity DESC, reported_at DESC, tracking_id DESC);

CREATE INDEX ix_incident_party_newest ON incident_party (stakeholder, reported_at DESC, tracking_id DESC);
CREATE INDEX ix_incident_party_status_severe ON incident_party (stakeholder, status, severity DESC, reported_severity DESC, reported_at DESC, tracking_id DESC);

-- Deadlines and tasks: "open" lists read only what is open, in their order (tasks without a due
-- date last: coalesce to the largest integer).
CREATE INDEX ix_incident_deadline_open_due ON incident_deadline (due_at, tracking_id, kind) WHERE met_at IS NULL;
-- 005's (status, due_at) would tempt SQLite to read by status and sort: replaced by a partial index
-- for "open tasks falling due" (SqliteIncidentQueue.FallingDueAsync) and the ordered ones below.
DROP INDEX ix_incident_task_due;
CREATE INDEX ix_incident_task_open_due ON incident_task (due_at) WHERE status IN (1, 2);
CREATE INDEX ix_incident_task_order ON incident_task (coalesce(due_at, 9223372036854775807), tracking_id, number);
CREATE INDEX ix_incident_task_open_order ON incident_task (coalesce(due_at, 9223372036854775807), tracking_id, number) WHERE status IN (1, 2);
CREATE INDEX ix_incident_task_stakeholder_order ON incident_task (assignee_stakeholder, coalesce(due_at, 9223372036854775807), tracking_id, number);

-- Counts per membership, kept with every write of the membership tables.
CREATE TABLE incident_sector_counts
(
    sector    TEXT    NOT NULL,
    status    INTEGER NOT NULL,
    severity  INTEGER NOT NULL,
    exercise  INTEGER NOT NULL,
    incidents INTEGER NOT NULL,
    PRIMARY KEY (sector, status, severity, exercise)
) WITHOUT ROWID;

INSERT INTO incident_sector_counts (sector, status, severity, exercise, incidents)
SELECT sector, status, severity, exercise, count(*) FROM incident_sector GROUP BY sector, status, severity, exercise;

CREATE TABLE incident_party_counts
(
    stakeholder TEXT    NOT NULL,
    is_reporter INTEGER NOT NULL,
    tlp         INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    severity    INTEGER NOT NULL,
    exercise    INTEGER NOT NULL,
    incidents   INTEGER NOT NULL,
    PRIMARY KEY (stakeholder, is_reporter, tlp, status, severity, exercise)
) WITHOUT ROWID;

INSERT INTO incident_party_counts (stakeholder, is_reporter, tlp, status, severity, exercise, incidents)
SELECT stakeholder, is_reporter, tlp, status, severity, exercise, count(*) FROM incident_party
GROUP BY stakeholder, is_reporter, tlp, status, severity, exercise;

CREATE TRIGGER incident_sector_counts_on_insert AFTER INSERT ON incident_sector
BEGIN
    INSERT INTO incident_sector_counts (sector, status, severity, exercise, incidents)
    SELECT new.sector, new.status, new.severity, new.exercise, 0
    WHERE NOT EXISTS (SELECT 1 FROM incident_sector_counts
                      WHERE sector = new.sector AND status = new.status AND severity = new.severity AND exercise = new.exercise);
    UPDATE incident_sector_counts SET incidents = incidents + 1
    WHERE sector = new.sector AND status = new.status AND severity = new.severity AND exercise = new.exercise;
END;

CREATE TRIGGER incident_sector_counts_on_delete AFTER DELETE ON incident_sector
BEGIN
    UPDATE incident_sector_counts SET incidents = incidents - 1
    WHERE sector = old.sector AND status = old.status AND severity = old.severity AND exercise = old.exercise;
END;

CREATE TRIGGER incident_party_counts_on_insert AFTER INSERT ON incident_party
BEGIN
    INSERT INTO incident_party_counts (stakeholder, is_reporter, tlp, status, severity, exercise, incidents)
    SELECT new.stakeholder, new.is_reporter, new.tlp, new.status, new.severity, new.exercise, 0
    WHERE NOT EXISTS (SELECT 1 FROM incident_party_counts
                      WHERE stakeholder = new.stakeholder AND is_reporter = new.is_reporter AND tlp = new.tlp
                        AND status = new.status AND severity = new.severity AND exercise = new.exercise);
    UPDATE incident_party_counts SET incidents = incidents + 1
    WHERE stakeholder = new.stakeholder AND is_reporter = new.is_reporter AND tlp = new.tlp
      AND status = new.status AND severity = new.severity AND exercise = new.exercise;
END;

CREATE TRIGGER incident_party_counts_on_delete AFTER DELETE ON incident_party
BEGIN
    UPDATE incident_party_counts SET incidents = incidents - 1
    WHERE stakeholder = old.stakeholder AND is_reporter = old.is_reporter AND tlp = old.tlp
      AND status = old.status AND severity = old.severity AND exercise = old.exercise;
END;
