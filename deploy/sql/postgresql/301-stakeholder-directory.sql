-- Cirt cluster profile: the stakeholder directory (src/Cirt.Server/Storage/PostgresStakeholderDirectory),
-- the query side of the stakeholder grains, as deploy/sql/sqlite/002-read-model.sql has it: sectors as
-- "|a|b|" so that a whole entry is found, the stakeholder as JSON, an older version never replacing a
-- newer one. stakeholder_directory_changes counts the changes, in the same transaction as each change,
-- so every silo's routing index sees when to rebuild, whichever silo made the change.

CREATE TABLE IF NOT EXISTS stakeholder_directory (
    id       text   NOT NULL PRIMARY KEY,
    sectors  text   NOT NULL,
    version  bigint NOT NULL,
    document text   NOT NULL
);

CREATE TABLE IF NOT EXISTS stakeholder_directory_changes (
    id      smallint NOT NULL PRIMARY KEY CHECK (id = 1),
    changes bigint   NOT NULL
);

INSERT INTO stakeholder_directory_changes (id, changes) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
