-- Cirt embedded profile: the duplicate window (which feed, type and target was seen when) on disk,
-- so that a repeat of a target seen before a restart is still a duplicate after it.
--
-- Each aggregation pass appends, in the transaction that records it, one run (or a few, 16 MiB at
-- most each): the window's entries it changed, 16 bytes each (the target's 64-bit key, then when it
-- was last seen in UTC ticks, both little-endian). At start the runs are replayed in order. When the
-- runs hold Cirt:Ingest:DuplicateWindowTargets more sightings than the window remembers, a pass
-- writes the whole window instead and deletes every earlier run: the disk holds at most about twice
-- that many sightings.

CREATE TABLE ingest_target_run
(
    id        INTEGER NOT NULL PRIMARY KEY,
    up_to_seq INTEGER NOT NULL, -- the log position the pass that wrote it reached
    targets   BLOB    NOT NULL  -- 16 bytes a sighting
);
