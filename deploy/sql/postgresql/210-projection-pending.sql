-- Cirt cluster profile: pending-projection marks. An incident grain marks (incident, version)
-- before it stores that version (grain state lives in Azure Storage, the read model here), and the
-- read model clears every mark up to the version it holds in the transaction that writes it. A mark
-- that outlives its write by more than a few seconds means a silo stopped between the two: the
-- sweeper (ProjectionSweeper) wakes the incident, which publishes what it has stored.
-- marked_at is the database's clock, so silos' clocks do not matter.

CREATE TABLE IF NOT EXISTS projection_pending
(
    tracking_id text COLLATE "C" NOT NULL,
    version     bigint      NOT NULL,
    marked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tracking_id, version)
);

CREATE INDEX IF NOT EXISTS ix_projection_pending_marked ON projection_pending (marked_at);
