-- Cirt cluster profile: the answers to requests sent with a request_id (src/Cirt.Server/Idempotency,
-- PostgresRequestLedger), shared by every silo, so a retry that reaches another server still gets the
-- first answer. A row is either an answer (response set) or a claim (response NULL): the silo that
-- inserts the claim first runs the request, the others wait for its answer; a claim whose holder
-- stopped renewing it (a silo killed mid-call) expires at claim_expires_at and may be taken over.
-- recorded_at: when answered (or claimed), milliseconds since the Unix epoch, UTC, by the silo's clock;
-- claim_expires_at: the same unit by the database's clock (silos' clocks may differ). Rows older than
-- the idempotency window (Cirt:Idempotency:Window) are pruned.

CREATE TABLE IF NOT EXISTS request_ledger (
    key_id           text   NOT NULL,
    method           text   NOT NULL,
    request_id       text   NOT NULL,
    request_digest   bytea  NOT NULL,
    response         bytea,
    recorded_at      bigint NOT NULL,
    claimed_by       uuid,
    claim_expires_at bigint,
    PRIMARY KEY (key_id, method, request_id),
    CHECK ((response IS NULL) = (claimed_by IS NOT NULL AND claim_expires_at IS NOT NULL))
);

CREATE INDEX IF NOT EXISTS ix_request_ledger_recorded_at ON request_ledger (recorded_at);
