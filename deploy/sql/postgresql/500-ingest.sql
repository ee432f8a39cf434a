-- Cirt cluster profile: the ingest log and what the aggregator makes of it, shared by every silo.
-- The same tables as the embedded profile's ingest.db and ingest-state.db (deploy/sql/sqlite/ingest*),
-- plus the log's head (the last position handed out) and the aggregation lease.

-- The durable log: one row per acknowledged batch (its accepted events, a cirt.v1.EventBatch),
-- appended by any silo, a group of batches per transaction. Positions are handed out from
-- ingest_log_head inside that transaction: the head row stays locked until the commit, so groups
-- take their positions one after the other and each becomes visible before the next one gets any:
-- a reader going on from position X never skips a batch that commits later.
CREATE TABLE IF NOT EXISTS ingest_batch
(
    seq         bigint  NOT NULL PRIMARY KEY,
    received_at bigint  NOT NULL, -- Unix time, milliseconds
    producer    text    NOT NULL,
    event_count integer NOT NULL,
    events      bytea   NOT NULL,
    rejected    text    NOT NULL  -- refused events by feed: "feed=count;feed=count"
);

-- Encoded events barely compress: stored out of line as they are, without the attempt.
ALTER TABLE ingest_batch ALTER COLUMN events SET STORAGE EXTERNAL;

CREATE TABLE IF NOT EXISTS ingest_log_head
(
    id  integer NOT NULL PRIMARY KEY CHECK (id = 1),
    seq bigint  NOT NULL -- the last position handed out
);

INSERT INTO ingest_log_head (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS ingest_unmatched
(
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at bigint NOT NULL,
    producer    text   NOT NULL,
    feed        text   NOT NULL,
    event       bytea  NOT NULL -- a cirt.v1.Event
);

CREATE INDEX IF NOT EXISTS ix_ingest_unmatched_feed ON ingest_unmatched (feed, id DESC);

CREATE TABLE IF NOT EXISTS ingest_feed_stats
(
    feed          text   NOT NULL PRIMARY KEY,
    stored        bigint NOT NULL DEFAULT 0,
    duplicates    bigint NOT NULL DEFAULT 0,
    unmatched     bigint NOT NULL DEFAULT 0,
    resent        bigint NOT NULL DEFAULT 0,
    rejected      bigint NOT NULL DEFAULT 0,
    last_event_at bigint NOT NULL DEFAULT 0
);

-- aggregated_seq: the log is aggregated up to here. pending_seq: the end of the pass under way,
-- written before its incidents are updated, so that a pass resumed after a crash, on whichever
-- silo, covers exactly the same batches (incidents ignore what they already counted).
CREATE TABLE IF NOT EXISTS ingest_progress
(
    id             integer NOT NULL PRIMARY KEY CHECK (id = 1),
    aggregated_seq bigint  NOT NULL,
    pending_seq    bigint  NOT NULL
);

INSERT INTO ingest_progress (id, aggregated_seq, pending_seq) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING;

-- The resend window: each pass's new event keys as one run, 8 bytes a key, little-endian.
CREATE TABLE IF NOT EXISTS ingest_key_run
(
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    up_to_seq  bigint NOT NULL,
    generation bigint NOT NULL,
    keys       bytea  NOT NULL,
    written_at bigint NOT NULL -- Unix time, milliseconds
);

-- The duplicate window: each pass's changes as runs, 16 bytes a sighting (key, UTC ticks), little-endian.
CREATE TABLE IF NOT EXISTS ingest_target_run
(
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    up_to_seq bigint NOT NULL,
    targets   bytea  NOT NULL
);

-- Exactly one silo aggregates: the holder of this row while expires_at (the database's clock) is
-- ahead. A silo takes it once it has expired, adding one to epoch; every write of the aggregator's
-- state first checks, in its own transaction, that the epoch is still the one it took, so a silo
-- that lost the lease (paused, cut off) can never record anything after the next holder started.
CREATE TABLE IF NOT EXISTS ingest_lease
(
    id         integer     NOT NULL PRIMARY KEY CHECK (id = 1),
    owner      text        NOT NULL,
    epoch      bigint      NOT NULL,
    expires_at timestamptz NOT NULL
);

INSERT INTO ingest_lease (id, owner, epoch, expires_at) VALUES (1, '', 0, '-infinity') ON CONFLICT (id) DO NOTHING;
