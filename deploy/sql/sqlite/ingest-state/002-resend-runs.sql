-- Cirt embedded profile: the keys of stored events, for recognising resends, kept as runs.
--
-- ingest_event_key (001) held one row per stored event: every pass inserted its keys, random 64-bit
-- hashes, into one ever-growing B-tree, dirtying a page per key once the table outgrew the cache
-- (measured: 764 MiB written in 5 s at 20,000 events/s after ten million events, stalling the
-- ingest log's fsyncs). Now each pass appends one row: its new keys, 8 bytes each, little-endian, in
-- one blob. The server keeps the keys of the last generations in memory (the resend window,
-- Cirt:Ingest:ResendWindowEvents) and deletes the runs of a generation when it forgets it. The keys
-- of ingest_event_key are moved into runs by 003.

CREATE TABLE ingest_key_run
(
    id         INTEGER NOT NULL PRIMARY KEY,
    up_to_seq  INTEGER NOT NULL, -- the log position the pass that wrote it reached
    generation INTEGER NOT NULL, -- the resend window's generation its keys belong to
    keys       BLOB    NOT NULL  -- 8 bytes a key
);
