-- Cirt embedded profile: what the aggregator makes of the ingest log (data/ingest-state.db).
-- In one transaction per pass it records which events were new (ingest_event_key: a 64-bit hash
-- of producer and producer_event_id), the unmatched ones, the per-feed totals and how far it got
-- (ingest_progress), so that a pass is recorded whole or not at all.

CREATE TABLE ingest_event_key
(
    key INTEGER NOT NULL PRIMARY KEY
);

CREATE TABLE ingest_unmatched
(
    id          INTEGER NOT NULL PRIMARY KEY,
    received_at INTEGER NOT NULL,
    producer    TEXT    NOT NULL,
    feed        TEXT    NOT NULL,
    event       BLOB    NOT NULL -- a cirt.v1.Event
);

CREATE INDEX ix_ingest_unmatched_feed ON ingest_unmatched (feed, id DESC);

CREATE TABLE ingest_feed_stats
(
    feed          TEXT    NOT NULL PRIMARY KEY,
    stored        INTEGER NOT NULL DEFAULT 0,
    duplicates    INTEGER NOT NULL DEFAULT 0,
    unmatched     INTEGER NOT NULL DEFAULT 0,
    resent        INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    last_event_at INTEGER NOT NULL DEFAULT 0
);

-- aggregated_seq: the log is aggregated up to here. pending_seq: the end of the pass under way,
-- written before its incidents are updated, so that a pass resumed after a crash covers exactly
-- the same batches (incidents ignore what they already counted; a larger pass would count twice).
CREATE TABLE ingest_progress
(
    id             INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    aggregated_seq INTEGER NOT NULL,
    pending_seq    INTEGER NOT NULL
);

INSERT INTO ingest_progress (id, aggregated_seq, pending_seq) VALUES (1, 0, 0);
