-- Cirt cluster profile: the query side of incidents in PostgreSQL (PostgresIncidentQueue), the twin
-- of the embedded profile's deploy/sql/sqlite/002..013 as they stand after 013: the same tables,
-- the same copies of the queue row's sort keys in the membership, deadline and task rows, the same
-- counts kept by triggers, the same indexes (each list shape seeks one in its order). Differences:
-- text keys compare byte by byte (COLLATE "C", as SQLite and the keyset positions do); a deadline's
-- or task's sectors are a text[] (SQLite: a JSON array); change numbers come from one counter row
-- (incident_change_counter), updated first in every writing transaction, so that numbers commit in
-- the order they are taken and a follower going on from the latest number it saw misses none.
-- Times are Unix milliseconds (bigint).

CREATE TABLE IF NOT EXISTS incident_queue
(
    tracking_id       text COLLATE "C" NOT NULL PRIMARY KEY,
    title             text    NOT NULL,
    status            integer NOT NULL,
    severity          integer NOT NULL,
    tlp               integer NOT NULL,
    reporter          text COLLATE "C" NOT NULL,
    sectors           text    NOT NULL, -- '|a|b|'
    stakeholders      text    NOT NULL, -- '|a|b|'
    rsit_class        text    NOT NULL,
    rsit_type         text    NOT NULL,
    assignee          text    NOT NULL,
    reported_at       bigint  NOT NULL,
    updated_at        bigint  NOT NULL,
    version           bigint  NOT NULL,
    exercise          integer NOT NULL,
    reported_severity integer NOT NULL,
    origin_instance   text    NOT NULL,
    change_number     bigint  NOT NULL
);

-- The last change number taken. Every writer updates this row first and holds it to its commit.
CREATE TABLE IF NOT EXISTS incident_change_counter
(
    id   integer NOT NULL PRIMARY KEY CHECK (id = 1),
    last bigint  NOT NULL
);

INSERT INTO incident_change_counter (id, last) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

CREATE INDEX IF NOT EXISTS ix_incident_queue_change ON incident_queue (change_number);
CREATE INDEX IF NOT EXISTS ix_incident_queue_newest ON incident_queue (reported_at DESC, tracking_id DESC);
CREATE INDEX IF NOT EXISTS ix_incident_queue_status_severity_newest ON incident_queue (status, severity, reported_at DESC, tracking_id DESC);
CREATE INDEX IF NOT EXISTS ix_incident_queue_status_severe
    ON incident_queue (status, severity DESC, reported_severity DESC, reported_at DESC, tracking_id DESC);

CREATE TABLE IF NOT EXISTS incident_sector
(
    sector            text COLLATE "C" NOT NULL,
    tracking_id       text COLLATE "C" NOT NULL,
    status            integer NOT NULL,
    severity          integer NOT NULL,
    reported_severity integer NOT NULL,
    reported_at       bigint  NOT NULL,
    exercise          integer NOT NULL,
    PRIMARY KEY (sector, status, severity, reported_at, tracking_id)
);

CREATE TABLE IF NOT EXISTS incident_party
(
    stakeholder       text COLLATE "C" NOT NULL,
    tracking_id       text COLLATE "C" NOT NULL,
    is_reporter       integer NOT NULL,
    tlp               integer NOT NULL,
    status            integer NOT NULL,
    severity          integer NOT NULL,
    reported_severity integer NOT NULL,
    reported_at       bigint  NOT NULL,
    exercise          integer NOT NULL,
    PRIMARY KEY (stakeholder, status, severity, reported_at, tracking_id)
);

CREATE INDEX IF NOT EXISTS ix_incident_sector_newest ON incident_sector (sector, reported_at DESC, tracking_id DESC);
CREATE INDEX IF NOT EXISTS ix_incident_sector_status_severe
    ON incident_sector (sector, status, severity DESC, reported_severity DESC, reported_at DESC, tracking_id DESC);
CREATE INDEX IF NOT EXISTS ix_incident_party_newest ON incident_party (stakeholder, reported_at DESC, tracking_id DESC);
CREATE INDEX IF NOT EXISTS ix_incident_party_status_severe
    ON incident_party (stakeholder, status, severity DESC, reported_severity DESC, reported_at DESC, tracking_id DESC);

CREATE TABLE IF NOT EXISTS incident_deadline
(
    tracking_id  text COLLATE "C" NOT NULL REFERENCES incident_queue (tracking_id),
    kind         integer NOT NULL,
    due_at       bigint  NOT NULL,
    met_at       bigint  NULL,
    escalated_at bigint  NULL,
    basis        text    NOT NULL,
    live         integer NOT NULL,
    reporter     text COLLATE "C" NOT NULL,
    tlp          integer NOT NULL,
    sectors      text[]  NOT NULL,
    PRIMARY KEY (tracking_id, kind)
);

CREATE INDEX IF NOT EXISTS ix_incident_deadline_due ON incident_deadline (due_at, tracking_id, kind);
CREATE INDEX IF NOT EXISTS ix_incident_deadline_open_due ON incident_deadline (due_at, tracking_id, kind) WHERE met_at IS NULL AND live = 1;
CREATE INDEX IF NOT EXISTS ix_incident_deadline_reporter_open_due
    ON incident_deadline (reporter, due_at, tracking_id, kind) WHERE met_at IS NULL AND live = 1;
CREATE INDEX IF NOT EXISTS ix_incident_deadline_reporter_due ON incident_deadline (reporter, due_at, tracking_id, kind);

CREATE TABLE IF NOT EXISTS incident_task
(
    tracking_id          text COLLATE "C" NOT NULL REFERENCES incident_queue (tracking_id),
    number               integer NOT NULL,
    title                text    NOT NULL,
    assignee_stakeholder text COLLATE "C" NOT NULL,
    assignee_analyst     text COLLATE "C" NOT NULL,
    due_at               bigint  NULL,
    status               integer NOT NULL,
    created_at           bigint  NOT NULL,
    created_by           text    NOT NULL,
    origin               text    NOT NULL,
    updated_at           bigint  NOT NULL,
    live                 integer NOT NULL,
    assignee_standing    integer NOT NULL,
    tlp                  integer NOT NULL,
    sectors              text[]  NOT NULL,
    PRIMARY KEY (tracking_id, number)
);

-- Tasks without a due date sort last: coalesced to the largest bigint, the expression the queries use.
CREATE INDEX IF NOT EXISTS ix_incident_task_open_due ON incident_task (due_at) WHERE status IN (1, 2);
CREATE INDEX IF NOT EXISTS ix_incident_task_order ON incident_task (coalesce(due_at, 9223372036854775807), tracking_id, number);
CREATE INDEX IF NOT EXISTS ix_incident_task_open_order
    ON incident_task (coalesce(due_at, 9223372036854775807), tracking_id, number) WHERE status IN (1, 2) AND live = 1;
CREATE INDEX IF NOT EXISTS ix_incident_task_stakeholder_order
    ON incident_task (assignee_stakeholder, coalesce(due_at, 9223372036854775807), tracking_id, number);
CREATE INDEX IF NOT EXISTS ix_incident_task_stakeholder_open_order
    ON incident_task (assignee_stakeholder, coalesce(due_at, 9223372036854775807), tracking_id, number) WHERE status IN (1, 2) AND live = 1;
CREATE INDEX IF NOT EXISTS ix_incident_task_analyst_order
    ON incident_task (assignee_analyst, coalesce(due_at, 9223372036854775807), tracking_id, number);
CREATE INDEX IF NOT EXISTS ix_incident_task_analyst_open_order
    ON incident_task (assignee_analyst, coalesce(due_at, 9223372036854775807), tracking_id, number) WHERE status IN (1, 2) AND live = 1;

-- Counts kept by the triggers below, in the writing transaction (deploy/sql/sqlite/010, 011, 013 say what each holds).
CREATE TABLE IF NOT EXISTS incident_counts
(
    status    integer NOT NULL,
    severity  integer NOT NULL,
    exercise  integer NOT NULL,
    incidents integer NOT NULL,
    PRIMARY KEY (status, severity, exercise)
);

CREATE TABLE IF NOT EXISTS incident_sector_counts
(
    sector    text COLLATE "C" NOT NULL,
    status    integer NOT NULL,
    severity  integer NOT NULL,
    exercise  integer NOT NULL,
    incidents integer NOT NULL,
    PRIMARY KEY (sector, status, severity, exercise)
);

CREATE TABLE IF NOT EXISTS incident_party_counts
(
    stakeholder text COLLATE "C" NOT NULL,
    is_reporter integer NOT NULL,
    tlp         integer NOT NULL,
    status      integer NOT NULL,
    severity    integer NOT NULL,
    exercise    integer NOT NULL,
    incidents   integer NOT NULL,
    PRIMARY KEY (stakeholder, is_reporter, tlp, status, severity, exercise)
);

CREATE TABLE IF NOT EXISTS incident_deadline_counts
(
    reporter  text COLLATE "C" NOT NULL, -- '' for every reporter
    tlp       integer NOT NULL,          -- 0 on the rows for every reporter
    sector    text COLLATE "C" NOT NULL, -- '' for every sector
    open      integer NOT NULL,
    due_day   bigint  NOT NULL,          -- due_at / 86400000: the UTC day it falls due
    deadlines integer NOT NULL,
    PRIMARY KEY (reporter, sector, open, due_day, tlp)
);

CREATE TABLE IF NOT EXISTS incident_task_counts
(
    assignee    text COLLATE "C" NOT NULL, -- '' for every organisation
    is_reporter integer NOT NULL,          -- the assigned organisation's standing; -1 on the rows for every organisation
    tlp         integer NOT NULL,          -- 0 on the rows for every organisation
    analyst     text COLLATE "C" NOT NULL, -- '' for every analyst
    sector      text COLLATE "C" NOT NULL, -- '' for every sector
    open        integer NOT NULL,
    due_day     bigint  NOT NULL,          -- coalesce(due_at, 9223372036854775807) / 86400000
    tasks       integer NOT NULL,
    PRIMARY KEY (assignee, analyst, sector, open, due_day, is_reporter, tlp)
);

CREATE OR REPLACE FUNCTION cirt_count_incident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE incident_counts SET incidents = incidents - 1
        WHERE status = OLD.status AND severity = OLD.severity AND exercise = OLD.exercise;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO incident_counts AS c (status, severity, exercise, incidents) VALUES (NEW.status, NEW.severity, NEW.exercise, 1)
        ON CONFLICT (status, severity, exercise) DO UPDATE SET incidents = c.incidents + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER incident_counts_on_insert AFTER INSERT OR DELETE ON incident_queue
    FOR EACH ROW EXECUTE FUNCTION cirt_count_incident();
CREATE OR REPLACE TRIGGER incident_counts_on_update AFTER UPDATE OF status, severity, exercise ON incident_queue
    FOR EACH ROW WHEN (OLD.status <> NEW.status OR OLD.severity <> NEW.severity OR OLD.exercise <> NEW.exercise)
    EXECUTE FUNCTION cirt_count_incident();

CREATE OR REPLACE FUNCTION cirt_count_sector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE incident_sector_counts SET incidents = incidents - 1
        WHERE sector = OLD.sector AND status = OLD.status AND severity = OLD.severity AND exercise = OLD.exercise;
    ELSE
        INSERT INTO incident_sector_counts AS c (sector, status, severity, exercise, incidents)
        VALUES (NEW.sector, NEW.status, NEW.severity, NEW.exercise, 1)
        ON CONFLICT (sector, status, severity, exercise) DO UPDATE SET incidents = c.incidents + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER incident_sector_counts_on_write AFTER INSERT OR DELETE ON incident_sector
    FOR EACH ROW EXECUTE FUNCTION cirt_count_sector();

CREATE OR REPLACE FUNCTION cirt_count_party() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE incident_party_counts SET incidents = incidents - 1
        WHERE stakeholder = OLD.stakeholder AND is_reporter = OLD.is_reporter AND tlp = OLD.tlp
          AND status = OLD.status AND severity = OLD.severity AND exercise = OLD.exercise;
    ELSE
        INSERT INTO incident_party_counts AS c (stakeholder, is_reporter, tlp, status, severity, exercise, incidents)
        VALUES (NEW.stakeholder, NEW.is_reporter, NEW.tlp, NEW.status, NEW.severity, NEW.exercise, 1)
        ON CONFLICT (stakeholder, is_reporter, tlp, status, severity, exercise) DO UPDATE SET incidents = c.incidents + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER incident_party_counts_on_write AFTER INSERT OR DELETE ON incident_party
    FOR EACH ROW EXECUTE FUNCTION cirt_count_party();

-- A live deadline counts under (every reporter or its reporter) x (every sector or each of its sectors).
CREATE OR REPLACE FUNCTION cirt_count_deadline() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d incident_deadline;
    step integer;
BEGIN
    IF TG_OP = 'DELETE' THEN d := OLD; step := -1; ELSE d := NEW; step := 1; END IF;
    IF d.live <> 1 THEN
        RETURN NULL;
    END IF;
    INSERT INTO incident_deadline_counts AS c (reporter, tlp, sector, open, due_day, deadlines)
    SELECT r.reporter, r.tlp, s.sector, (d.met_at IS NULL)::integer, d.due_at / 86400000, step
    FROM (SELECT ''::text AS reporter, 0 AS tlp UNION ALL SELECT d.reporter, d.tlp WHERE d.reporter <> '') AS r,
         (SELECT ''::text AS sector UNION SELECT unnest(d.sectors)) AS s
    ON CONFLICT (reporter, sector, open, due_day, tlp) DO UPDATE SET deadlines = c.deadlines + step;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER incident_deadline_counts_on_write AFTER INSERT OR DELETE ON incident_deadline
    FOR EACH ROW EXECUTE FUNCTION cirt_count_deadline();

-- A live task counts under (every organisation or the one it is assigned to, where that one sees the
-- incident) x (every analyst or the one it is assigned to) x (every sector or each of its sectors).
CREATE OR REPLACE FUNCTION cirt_count_task() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    t incident_task;
    step integer;
BEGIN
    IF TG_OP = 'DELETE' THEN t := OLD; step := -1; ELSE t := NEW; step := 1; END IF;
    IF t.live <> 1 THEN
        RETURN NULL;
    END IF;
    INSERT INTO incident_task_counts AS c (assignee, is_reporter, tlp, analyst, sector, open, due_day, tasks)
    SELECT o.assignee, o.is_reporter, o.tlp, a.analyst, s.sector, (t.status IN (1, 2))::integer,
           coalesce(t.due_at, 9223372036854775807) / 86400000, step
    FROM (SELECT ''::text AS assignee, -1 AS is_reporter, 0 AS tlp
          UNION ALL SELECT t.assignee_stakeholder, t.assignee_standing, t.tlp
          WHERE t.assignee_stakeholder <> '' AND t.assignee_standing >= 0) AS o,
         (SELECT ''::text AS analyst UNION ALL SELECT t.assignee_analyst WHERE t.assignee_analyst <> '') AS a,
         (SELECT ''::text AS sector UNION SELECT unnest(t.sectors)) AS s
    ON CONFLICT (assignee, analyst, sector, open, due_day, is_reporter, tlp) DO UPDATE SET tasks = c.tasks + step;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER incident_task_counts_on_write AFTER INSERT OR DELETE ON incident_task
    FOR EACH ROW EXECUTE FUNCTION cirt_count_task();
