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

-- What left through TAXII: when a partner's key first read the objects a message added (the
-- payload, its digest and who approved it are in the outbox). Microseconds since the Unix epoch, UTC.
CREATE TABLE taxii_served
(
    message_id TEXT    NOT NULL PRIMARY KEY,
    partner_id TEXT    NOT NULL,
    key_id     TEXT    NOT NULL,
    served_at  INTEGER NOT NULL
);

CREATE INDEX ix_taxii_served_partner ON taxii_served (partner_id, served_at);
