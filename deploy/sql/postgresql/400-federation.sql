-- Cirt cluster profile: the exchange with partner CIRTs (PostgresFederationStore), shared by every
-- silo; the twin of deploy/sql/sqlite/federation. Times are Unix milliseconds, UTC, except the TAXII
-- dates (microseconds). Tables are prefixed federation_ so that no other store's names collide.

-- The outbox: one message per partner, item version and action; enqueueing the same again finds
-- the message already there. state: 1 held, 2 queued, 3 delivered, 4 failed, 5 discarded (as
-- cirt.v1.OutboxState). id gives the queue order; sequence is given when the message is first sent.
CREATE TABLE IF NOT EXISTS federation_outbox
(
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id        text    NOT NULL UNIQUE,
    partner_id        text    NOT NULL,
    kind              integer NOT NULL,
    item_id           text    NOT NULL,
    item_version      bigint  NOT NULL,
    action            integer NOT NULL,
    -- Tells apart messages of one item version and action (a note's id); empty otherwise.
    note_key          text    NOT NULL DEFAULT '',
    state             integer NOT NULL,
    sequence          bigint  NOT NULL DEFAULT 0,
    attempts          integer NOT NULL DEFAULT 0,
    queued_at         bigint  NOT NULL,
    queued_by         text    NOT NULL,
    delivered_at      bigint,
    last_error        text    NOT NULL DEFAULT '',
    last_error_at     bigint,
    next_attempt_at   bigint  NOT NULL DEFAULT 0,
    -- The payload's canonical JSON (RFC 8785): the exact text that leaves (redacted when held).
    payload           text    NOT NULL,
    payload_digest    text    NOT NULL,
    -- Personal data found (JSON array of cirt.v1.PersonalDataFinding), for a held message.
    findings          text    NOT NULL DEFAULT '[]',
    decided_by        text    NOT NULL DEFAULT '',
    discard_reason    text    NOT NULL DEFAULT '',
    -- The partner's signed receipt (canonical JSON), its signature and the key that made it.
    receipt           text    NOT NULL DEFAULT '',
    receipt_signature bytea,
    receipt_key       text    NOT NULL DEFAULT '',
    UNIQUE (partner_id, kind, item_id, item_version, action, note_key)
);

CREATE INDEX IF NOT EXISTS ix_federation_outbox_partner_state ON federation_outbox (partner_id, state, id);
CREATE INDEX IF NOT EXISTS ix_federation_outbox_state ON federation_outbox (state, id);

-- The last sequence number given per partner.
CREATE TABLE IF NOT EXISTS federation_outbox_sequence
(
    partner_id    text   NOT NULL PRIMARY KEY,
    last_sequence bigint NOT NULL
);

-- Who delivers each partner's outbox now: one silo's dispatcher at a time, until expires_at unless
-- renewed (the database's clock, so that silos' clocks need not agree; 0: given up). fence grows each
-- time another dispatcher takes the claim; the outbox writes of a delivery check it, so a silo that
-- lost its claim (paused, cut off) changes nothing.
CREATE TABLE IF NOT EXISTS federation_delivery_claim
(
    partner_id text   NOT NULL PRIMARY KEY,
    holder     text   NOT NULL,
    fence      bigint NOT NULL,
    expires_at bigint NOT NULL
);

-- What left, byte for byte: the payload sent, its digest and length, to whom, when, who queued
-- and who approved it.
CREATE TABLE IF NOT EXISTS federation_egress
(
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id     text    NOT NULL UNIQUE,
    partner_id     text    NOT NULL,
    kind           integer NOT NULL,
    item_id        text    NOT NULL,
    item_version   bigint  NOT NULL,
    action         integer NOT NULL,
    payload        text    NOT NULL,
    payload_digest text    NOT NULL,
    payload_bytes  bigint  NOT NULL,
    sent_at        bigint  NOT NULL,
    queued_by      text    NOT NULL,
    approved_by    text    NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS ix_federation_egress_partner ON federation_egress (partner_id, id);

-- Messages accepted from partners, with the receipt answered (a resend gets the same one): stored
-- once per message even when two silos take the same delivery at once.
CREATE TABLE IF NOT EXISTS federation_inbound
(
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id        text   NOT NULL,
    message_id        text   NOT NULL,
    sequence          bigint NOT NULL,
    payload_digest    text   NOT NULL,
    receipt           text   NOT NULL,
    receipt_signature bytea  NOT NULL,
    receipt_key       text   NOT NULL,
    received_at       bigint NOT NULL,
    UNIQUE (partner_id, message_id)
);

-- The last sequence accepted per partner: anything not after it is a replay.
CREATE TABLE IF NOT EXISTS federation_inbound_sequence
(
    partner_id    text   NOT NULL PRIMARY KEY,
    last_sequence bigint NOT NULL
);

-- Deliveries refused, with the status answered and why (the newest 100,000 kept).
CREATE TABLE IF NOT EXISTS federation_inbound_refusal
(
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             bigint NOT NULL,
    claimed_sender text   NOT NULL,
    key_partner_id text   NOT NULL,
    message_id     text   NOT NULL,
    status         text   NOT NULL,
    reason         text   NOT NULL
);

-- The TAXII 2.1 server: when each sendable message entered its partner's collection (given once,
-- never before a date already given in that collection), and when a partner's key first read it.
-- Microseconds since the Unix epoch, UTC.
CREATE TABLE IF NOT EXISTS federation_taxii_added
(
    message_id text   NOT NULL PRIMARY KEY,
    partner_id text   NOT NULL,
    date_added bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_federation_taxii_added_partner ON federation_taxii_added (partner_id, date_added);

CREATE TABLE IF NOT EXISTS federation_taxii_served
(
    message_id text   NOT NULL PRIMARY KEY,
    partner_id text   NOT NULL,
    key_id     text   NOT NULL,
    served_at  bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_federation_taxii_served_partner ON federation_taxii_served (partner_id, served_at);
