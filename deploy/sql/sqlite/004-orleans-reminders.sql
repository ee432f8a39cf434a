-- Cirt embedded profile: Orleans reminders (durable timers: they fire again after a restart), read
-- and written by Cirt.Server.Storage.SqliteReminderTable. grain_hash is the grain id's uniform hash
-- (an unsigned 32-bit number) by which the reminder service splits the table between silos;
-- start_at is Unix milliseconds; etag grows with every write of the row.

CREATE TABLE orleans_reminder
(
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    grain_hash    INTEGER NOT NULL,
    start_at      INTEGER NOT NULL,
    period_ms     INTEGER NOT NULL,
    etag          INTEGER NOT NULL,
    PRIMARY KEY (grain_id, reminder_name)
) WITHOUT ROWID;

CREATE INDEX ix_orleans_reminder_hash ON orleans_reminder (grain_hash);
