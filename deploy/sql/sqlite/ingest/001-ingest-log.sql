-- Cirt embedded profile: the automated-event ingest log, in a file of its own (data/ingest.db).
-- SQLite has one writer per file: the log's group commits must never queue behind other writes
-- (grain state in cirt.db, the aggregator's results in ingest-state.db), so it shares with none.
--
-- ingest_batch is the durable log: one row per acknowledged batch (its accepted events, encoded
-- as a cirt.v1.EventBatch), appended in one transaction per group of batches (group commit: one
-- fsync for many batches). Its rowid is the log position. The aggregator reads the log in order
-- and, in one transaction per pass, records which events were new (ingest_event_key: a 64-bit
-- hash of producer and producer_event_id), the unmatched ones, the per-feed totals and how far it
-- got (ingest_progress).

CREATE TABLE ingest_batch
(
    seq         INTEGER NOT NULL PRIMARY KEY,
    received_at INTEGER NOT NULL, -- Unix time, milliseconds
    producer    TEXT    NOT NULL,
    event_count INTEGER NOT NULL,
    events      BLOB    NOT NULL,
    rejected    TEXT    NOT NULL  -- refused events by feed: "feed=count;feed=count"
);
