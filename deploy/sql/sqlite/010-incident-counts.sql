-- Cirt embedded profile: how many incidents the queue holds by status, severity and whether they
-- are exercises, kept by triggers in the same transaction as every write of incident_queue, so
-- that the metric "cirt.incidents" reads a few dozen rows instead of counting the whole queue.
-- Counted once from the queue when this script runs. (No INSERT OR IGNORE in the triggers: the
-- queue is written by an upsert, whose conflict handling SQLite would apply to the trigger's insert.)

CREATE TABLE incident_counts
(
    status    INTEGER NOT NULL,
    severity  INTEGER NOT NULL,
    exercise  INTEGER NOT NULL,
    incidents INTEGER NOT NULL,
    PRIMARY KEY (status, severity, exercise)
) WITHOUT ROWID;

INSERT INTO incident_counts (status, severity, exercise, incidents)
SELECT status, severity, exercise, count(*) FROM incident_queue GROUP BY status, severity, exercise;

CREATE TRIGGER incident_counts_on_insert AFTER INSERT ON incident_queue
BEGIN
    INSERT INTO incident_counts (status, severity, exercise, incidents)
    SELECT new.status, new.severity, new.exercise, 0
    WHERE NOT EXISTS (SELECT 1 FROM incident_counts WHERE status = new.status AND severity = new.severity AND exercise = new.exercise);
    UPDATE incident_counts SET incidents = incidents + 1
    WHERE status = new.status AND severity = new.severity AND exercise = new.exercise;
END;

CREATE TRIGGER incident_counts_on_update AFTER UPDATE OF status, severity, exercise ON incident_queue
    WHEN old.status <> new.status OR old.severity <> new.severity OR old.exercise <> new.exercise
BEGIN
    UPDATE incident_counts SET incidents = incidents - 1
    WHERE status = old.status AND severity = old.severity AND exercise = old.exercise;
    INSERT INTO incident_counts (status, severity, exercise, incidents)
    SELECT new.status, new.severity, new.exercise, 0
    WHERE NOT EXISTS (SELECT 1 FROM incident_counts WHERE status = new.status AND severity = new.severity AND exercise = new.exercise);
    UPDATE incident_counts SET incidents = incidents + 1
    WHERE status = new.status AND severity = new.severity AND exercise = new.exercise;
END;

CREATE TRIGGER incident_counts_on_delete AFTER DELETE ON incident_queue
BEGIN
    UPDATE incident_counts SET incidents = incidents - 1
    WHERE status = old.status AND severity = old.severity AND exercise = old.exercise;
END;
