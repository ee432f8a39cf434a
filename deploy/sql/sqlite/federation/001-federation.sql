-- Cirt: exchange with partner CIRTs (data/federation.db, a file of its own so that deliveries never
-- wait behind the grain state's writes). Times are Unix milliseconds, UTC.

-- The outbox: one message per partner, item version and action; enqueueing the same again finds
-- the message already there. state: 1 held, 2 queued, 3 delivered, 4 failed, 5 discarded (as
-- cirt.v1.OutboxState). id gives the queue order; sequence is given when the message is first sent.
CREATE TABLE outbox
(
    id                INTEGER NOT NULL PRIMARY KEY,
    message_id        TEXT    NOT NULL UNIQUE,
    partner_id        TEXT    NOT NULL,
    kind              INTEGER NOT NULL,
    item_id           TEXT    NOT NULL,
    item_version      INTEGER NOT NULL,
    action            INTEGER NOT NULL,
    -- Tells apart messages of one item version and action (a note's id); empty otherwise.
    note_key          TEXT    NOT NULL DEFAULT '',
    state             INTEGER NOT NULL,
    sequence          INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 0,
    queued_at         INTEGER NOT NULL,
    queued_by         TEXT    NOT NULL,
    delivered_at      INTEGER,
    last_error        TEXT    NOT NULL DEFAULT '',
    last_error_at     INTEGER,
    next_attempt_at   INTEGER NOT NULL DEFAULT 0,
    -- The payload's canonical JSON (RFC 8785): the exact bytes that leave (redacted when held).
    payload           TEXT    NOT NULL,
    payload_digest    TEXT    NOT NULL,
    -- Personal data found (JSON array of cirt.v1.PersonalDataFinding), for a held message.
    findings          TEXT    NOT NULL DEFAULT '[]',
    decided_by        TEXT    NOT NULL DEFAULT '',
    discard_reason    TEXT    NOT NULL DEFAULT '',
    -- The partner's signed receipt (canonical JSON), its signature and the key that made it.
    receipt           TEXT    NOT NULL DEFAULT '',
    receipt_signature BLOB,
    receipt_key       TEXT    NOT NULL DEFAULT '',
    UNIQUE (partner_id, kind, item_id, item_version, action, note_key)
);

CREATE INDEX ix_outbox_partner_state ON outbox (partner_id, state, id);
CREATE INDEX ix_outbox_state ON outbox (state, id);

-- The last sequence number given per partner.
CREATE TABLE outbox_sequence
(
    partner_id    TEXT    NOT NULL PRIMARY KEY,
    last_sequence INTEGER NOT NULL
);

-- What left, byte for byte: the payload sent, its digest and length, to whom, when, who queued
-- and who approved it.
CREATE TABLE egress
(
    id             INTEGER NOT NULL PRIMARY KEY,
    message_id     TEXT    NOT NULL UNIQUE,
    partner_id     TEXT    NOT NULL,
    kind           INTEGER NOT NULL,
    item_id        TEXT    NOT NULL,
    item_version   INTEGER NOT NULL,
    action         INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    payload_digest TEXT    NOT NULL,
    payload_bytes  INTEGER NOT NULL,
    sent_at        INTEGER NOT NULL,
    queued_by      TEXT    NOT NULL,
    approved_by    TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX ix_egress_partner ON egress (partner_id, id);

-- Messages accepted from partners, with the receipt answered (a resend gets the same one).
CREATE TABLE inbound
(
    id                INTEGER NOT NULL PRIMARY KEY,
    partner_id        TEXT    NOT NULL,
    message_id        TEXT    NOT NULL,
    sequence          INTEGER NOT NULL,
    payload_digest    TEXT    NOT NULL,
    receipt           TEXT    NOT NULL,
    receipt_signature BLOB    NOT NULL,
    receipt_key       TEXT    NOT NULL,
    received_at       INTEGER NOT NULL,
    UNIQUE (partner_id, message_id)
);

-- The last sequence accepted per partner: anything not after it is a replay.
CREATE TABLE inbound_sequence
(
    partner_id    TEXT    NOT NULL PRIMARY KEY,
    last_sequence INTEGER NOT NULL
);

-- Deliveries refused, with the status answered and why.
CREATE TABLE inbound_refusal
(
    id             INTEGER NOT NULL PRIMARY KEY,
    at             INTEGER NOT NULL,
    claimed_sender TEXT    NOT NULL,
    key_partner_id TEXT    NOT NULL,
    message_id     TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    reason         TEXT    NOT NULL
);
