-- Cirt: the TAXII 2.1 server (one collection per partner, read from the outbox). When each sendable
-- message (queued or delivered) entered its partner's collection: given once, the first time the
-- server reads the collection after the message became sendable, never before a date already given
-- in that collection, so that a client resuming after the last date it saw misses nothing.
-- Microseconds since the Unix epoch, UTC.
CREATE TABLE taxii_added
(
    message_id TEXT    NOT NULL PRIMARY KEY,
    partner_id TEXT    NOT NULL,
    date_added INTEGER NOT NULL
);

CREATE INDEX ix_taxii_added_partner ON taxii_added (partner_id, date_added);
