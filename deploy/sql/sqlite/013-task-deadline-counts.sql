-- Cirt embedded profile: ListTasks and ListDeadlines cost what their page costs (issue 15).
--
-- 1. Each deadline and task row carries a copy of what its incident's queue row decides about it:
--    live (0 once the incident is rejected or a duplicate: no obligations, no work left), the
--    incident's TLP, its sectors (a JSON array), for a deadline the incident's reporter (whose
--    obligation it is) and for a task how its assigned organisation stands to the incident
--    (assignee_standing: 1 the reporter, 0 an affected organisation, -1 neither: it does not see the
--    incident). The rows are rewritten with the queue row in the same transaction, so the copies
--    are always the queue row's (SqliteIncidentQueue).
-- 2. Counts kept by triggers on those rows, beside incident_counts (010) and the membership counts
--    (011), per UTC day the row falls due (tasks without a due date on the last day there is): per
--    deadline for "any reporter" ('') and for its reporter (with the TLP, so that a reporter's count
--    is summed over the labels it sees), for "any sector" ('') and for each of its sectors, open or
--    met; per task the same for the organisation it is assigned to (with its standing and the TLP),
--    the analyst and the sectors, open or finished. Rows of incidents no longer live are not
--    counted. Deleting a row subtracts what its own copies added, so a status change (the rows
--    rewritten) moves the counts exactly.
--    total_size of a list is then a sum over one range of these counts (a row per day with
--    deadlines or tasks due). "Overdue" changes with no write, as the clock passes due times: it is
--    the open rows of the days before today, summed, plus those due today before now, counted in
--    the index of open rows (one day's worth at most). Exact, and neither read grows with the queue.
-- 3. Partial indexes of the live, open rows in each list's order, led by the filter that narrows
--    them (the reporter of deadlines; the organisation or the analyst a task is assigned to), so
--    that pages, and the count of today's overdue rows, seek instead of walking the open view.
--
-- Filled here from the rows already there: the copies from their queue rows, then the counts by
-- the triggers themselves (every row taken out and put back once), so that the fill counts exactly
-- as every later write does. Applied once, in one transaction with its record in cirt_schema
-- (SqliteDatabase.Migrate): a data folder has it whole or not at all.

ALTER TABLE incident_deadline ADD COLUMN live INTEGER NOT NULL DEFAULT 1;
ALTER TABLE incident_deadline ADD COLUMN reporter TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_deadline ADD COLUMN tlp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident_deadline ADD COLUMN sectors TEXT NOT NULL DEFAULT '[]';

ALTER TABLE incident_task ADD COLUMN live INTEGER NOT NULL DEFAULT 1;
ALTER TABLE incident_task ADD COLUMN assignee_standing INTEGER NOT NULL DEFAULT -1;
ALTER TABLE incident_task ADD COLUMN tlp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident_task ADD COLUMN sectors TEXT NOT NULL DEFAULT '[]';

-- The queue's '|a|b|' list of sectors as a JSON array (sector codes are letters, digits and '_').
UPDATE incident_deadline AS d SET
    live = (q.status NOT IN (7, 8)),
    reporter = q.reporter,
    tlp = q.tlp,
    sectors = CASE WHEN length(q.sectors) <= 2 THEN '[]'
                   ELSE '["' || replace(substr(q.sectors, 2, length(q.sectors) - 2), '|', '","') || '"]' END
FROM incident_queue AS q WHERE q.tracking_id = d.tracking_id;

UPDATE incident_task AS t SET
    live = (q.status NOT IN (7, 8)),
    assignee_standing = CASE WHEN t.assignee_stakeholder = '' THEN -1
                             WHEN t.assignee_stakeholder = q.reporter THEN 1
                             WHEN instr(q.stakeholders, '|' || t.assignee_stakeholder || '|') > 0 THEN 0
                             ELSE -1 END,
    tlp = q.tlp,
    sectors = CASE WHEN length(q.sectors) <= 2 THEN '[]'
                   ELSE '["' || replace(substr(q.sectors, 2, length(q.sectors) - 2), '|', '","') || '"]' END
FROM incident_queue AS q WHERE q.tracking_id = t.tracking_id;

CREATE TABLE incident_deadline_counts
(
    reporter  TEXT    NOT NULL, -- '' for every reporter
    tlp       INTEGER NOT NULL, -- 0 on the rows for every reporter
    sector    TEXT    NOT NULL, -- '' for every sector
    open      INTEGER NOT NULL,
    due_day   INTEGER NOT NULL, -- due_at / 86400000: the UTC day it falls due
    deadlines INTEGER NOT NULL,
    PRIMARY KEY (reporter, sector, open, due_day, tlp)
) WITHOUT ROWID;

CREATE TABLE incident_task_counts
(
    assignee    TEXT    NOT NULL, -- '' for every organisation
    is_reporter INTEGER NOT NULL, -- the assigned organisation's standing (1 reporter, 0 affected); -1 on the rows for every organisation
    tlp         INTEGER NOT NULL, -- 0 on the rows for every organisation
    analyst     TEXT    NOT NULL, -- '' for every analyst
    sector      TEXT    NOT NULL, -- '' for every sector
    open        INTEGER NOT NULL,
    due_day     INTEGER NOT NULL, -- coalesce(due_at, 9223372036854775807) / 86400000: without a due date, a day never reached
    tasks       INTEGER NOT NULL,
    PRIMARY KEY (assignee, analyst, sector, open, due_day, is_reporter, tlp)
) WITHOUT ROWID;

-- Take the rows out before the triggers exist, put them back after: the triggers count them.
CREATE TEMP TABLE deadlines_before_counts AS SELECT * FROM incident_deadline;
CREATE TEMP TABLE tasks_before_counts AS SELECT * FROM incident_task;
DELETE FROM incident_deadline;
DELETE FROM incident_task;

-- The keys one row counts under: (every reporter or its reporter) x (every sector or each of its sectors).
CREATE TRIGGER incident_deadline_counts_on_insert AFTER INSERT ON incident_deadline WHEN new.live = 1
BEGIN
    INSERT INTO incident_deadline_counts (reporter, tlp, sector, open, due_day, deadlines)
    SELECT r.reporter, r.tlp, s.sector, new.met_at IS NULL, new.due_at / 86400000, 1
    FROM (SELECT '' AS reporter, 0 AS tlp UNION ALL SELECT new.reporter, new.tlp WHERE new.reporter <> '') AS r,
         (SELECT '' AS sector UNION SELECT value FROM json_each(new.sectors)) AS s
    WHERE true
    ON CONFLICT DO UPDATE SET deadlines = deadlines + 1;
END;

CREATE TRIGGER incident_deadline_counts_on_delete AFTER DELETE ON incident_deadline WHEN old.live = 1
BEGIN
    UPDATE incident_deadline_counts SET deadlines = deadlines - 1
    WHERE (reporter, tlp, sector, open, due_day) IN (
        SELECT r.reporter, r.tlp, s.sector, old.met_at IS NULL, old.due_at / 86400000
        FROM (SELECT '' AS reporter, 0 AS tlp UNION ALL SELECT old.reporter, old.tlp WHERE old.reporter <> '') AS r,
             (SELECT '' AS sector UNION SELECT value FROM json_each(old.sectors)) AS s);
END;

-- (every organisation or the one it is assigned to, where that one sees the incident)
-- x (every analyst or the one it is assigned to) x (every sector or each of its sectors).
CREATE TRIGGER incident_task_counts_on_insert AFTER INSERT ON incident_task WHEN new.live = 1
BEGIN
    INSERT INTO incident_task_counts (assignee, is_reporter, tlp, analyst, sector, open, due_day, tasks)
    SELECT o.assignee, o.is_reporter, o.tlp, a.analyst, s.sector, new.status IN (1, 2), coalesce(new.due_at, 9223372036854775807) / 86400000, 1
    FROM (SELECT '' AS assignee, -1 AS is_reporter, 0 AS tlp
          UNION ALL SELECT new.assignee_stakeholder, new.assignee_standing, new.tlp
          WHERE new.assignee_stakeholder <> '' AND new.assignee_standing >= 0) AS o,
         (SELECT '' AS analyst UNION ALL SELECT new.assignee_analyst WHERE new.assignee_analyst <> '') AS a,
         (SELECT '' AS sector UNION SELECT value FROM json_each(new.sectors)) AS s
    WHERE true
    ON CONFLICT DO UPDATE SET tasks = tasks + 1;
END;

CREATE TRIGGER incident_task_counts_on_delete AFTER DELETE ON incident_task WHEN old.live = 1
BEGIN
    UPDATE incident_task_counts SET tasks = tasks - 1
    WHERE (assignee, is_reporter, tlp, analyst, sector, open, due_day) IN (
        SELECT o.assignee, o.is_reporter, o.tlp, a.analyst, s.sector, old.status IN (1, 2), coalesce(old.due_at, 9223372036854775807) / 86400000
        FROM (SELECT '' AS assignee, -1 AS is_reporter, 0 AS tlp
              UNION ALL SELECT old.assignee_stakeholder, old.assignee_standing, old.tlp
              WHERE old.assignee_stakeholder <> '' AND old.assignee_standing >= 0) AS o,
             (SELECT '' AS analyst UNION ALL SELECT old.assignee_analyst WHERE old.assignee_analyst <> '') AS a,
             (SELECT '' AS sector UNION SELECT value FROM json_each(old.sectors)) AS s);
END;

INSERT INTO incident_deadline SELECT * FROM deadlines_before_counts;
INSERT INTO incident_task SELECT * FROM tasks_before_counts;
DROP TABLE deadlines_before_counts;
DROP TABLE tasks_before_counts;

-- Open deadlines: the live ones only (011's index held those of rejected incidents and duplicates
-- too, which every page and count had to step over); and led by the reporter, for an organisation's
-- own obligations (open, and all of them).
DROP INDEX ix_incident_deadline_open_due;
CREATE INDEX ix_incident_deadline_open_due ON incident_deadline (due_at, tracking_id, kind) WHERE met_at IS NULL AND live = 1;
CREATE INDEX ix_incident_deadline_reporter_open_due ON incident_deadline (reporter, due_at, tracking_id, kind) WHERE met_at IS NULL AND live = 1;
CREATE INDEX ix_incident_deadline_reporter_due ON incident_deadline (reporter, due_at, tracking_id, kind);

-- Open tasks: live ones only, overall, by the organisation and by the analyst assigned; all tasks by analyst.
DROP INDEX ix_incident_task_open_order;
CREATE INDEX ix_incident_task_open_order ON incident_task (coalesce(due_at, 9223372036854775807), tracking_id, number)
    WHERE status IN (1, 2) AND live = 1;
CREATE INDEX ix_incident_task_stakeholder_open_order ON incident_task (assignee_stakeholder, coalesce(due_at, 9223372036854775807), tracking_id, number)
    WHERE status IN (1, 2) AND live = 1;
CREATE INDEX ix_incident_task_analyst_order ON incident_task (assignee_analyst, coalesce(due_at, 9223372036854775807), tracking_id, number);
CREATE INDEX ix_incident_task_analyst_open_order ON incident_task (assignee_analyst, coalesce(due_at, 9223372036854775807), tracking_id, number)
    WHERE status IN (1, 2) AND live = 1;
