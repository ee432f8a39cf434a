-- Cirt cluster profile: the secrets every silo must share (src/Cirt.Server/Storage/ClusterSecrets):
-- the page-token key (so a token handed out by one silo is resumed on another) and the federation
-- identity (signing key, pseudonym secret: partners see one CIRT). The first silo to start inserts
-- each one; the others (even when starting at the same moment) read the same row. Never updated:
-- a new secret would invalidate every token, and a new signing key every partner registration.

CREATE TABLE IF NOT EXISTS cluster_secret (
    name       text        NOT NULL PRIMARY KEY,
    value      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
