-- Cirt embedded profile: when each resend run was written, so that runs older than
-- Cirt:Retention:ResendKeys can be deleted (ingest.db and ingest-state.db are also switched to
-- incremental auto-vacuum at start, by the server: that needs a VACUUM, which cannot run in a
-- script's transaction).
--
-- Runs written before this script have no time: they count from when it ran.

ALTER TABLE ingest_key_run ADD COLUMN written_at INTEGER NOT NULL DEFAULT 0; -- Unix time, milliseconds

UPDATE ingest_key_run SET written_at = unixepoch() * 1000;
