-- Cirt embedded profile: the answers to requests sent with a request_id (src/Cirt.Server/Idempotency).
-- A retry with the same key, method and request id within the idempotency window (Cirt:Idempotency:Window)
-- gets the recorded answer instead of changing anything again; the same id with a different request
-- (request_digest: SHA-256 of the request without its request_id) is refused. Rows older than the
-- window are pruned (recorded_at: milliseconds since the Unix epoch, UTC).

CREATE TABLE request_ledger (
    key_id         TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    request_id     TEXT    NOT NULL,
    request_digest BLOB    NOT NULL,
    response       BLOB    NOT NULL,
    recorded_at    INTEGER NOT NULL,
    PRIMARY KEY (key_id, method, request_id)
) WITHOUT ROWID;

CREATE INDEX ix_request_ledger_recorded_at ON request_ledger (recorded_at);
