-- Cirt: who delivers each partner's outbox now (one dispatcher at a time, as in the cluster
-- profile's PostgreSQL twin). fence grows each time another dispatcher takes the claim; outbox
-- writes of a delivery check it. expires_at: Unix milliseconds, UTC (0: released). The claims of
-- an earlier process are dropped when the file is opened.
CREATE TABLE delivery_claim
(
    partner_id TEXT    NOT NULL PRIMARY KEY,
    holder     TEXT    NOT NULL,
    fence      INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
