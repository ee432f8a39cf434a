-- Cirt embedded profile: grain state for Orleans' ADO.NET storage provider (invariant
-- "System.Data.SQLite", served by Microsoft.Data.Sqlite).
--
-- Written by the Cirt team to the provider's query contract:
--   * the provider loads its statements from OrleansQuery by key (WriteToStorageKey,
--     ReadFromStorageKey, ClearStorageKey; Cirt does not turn on DeleteStateOnClear, so it needs
--     no DeleteStorageKey);
--   * it binds @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
--     @GrainIdExtensionString, @ServiceId, @GrainStateVersion and, for writes, @PayloadBinary;
--   * reads return (PayloadBinary, Version); writes and clears return one row holding
--     NewGrainStateVersion: the new version when the change applied, the caller's version when it
--     did not (the provider then raises InconsistentStateException: an optimistic-concurrency
--     conflict, never a silent overwrite).
--
-- Design: one row per grain, found through a unique index on the grain's full identity. The
-- extension string is stored as '' instead of NULL so that the unique index covers every key.

CREATE TABLE OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL
);

CREATE UNIQUE INDEX UX_OrleansStorage_Grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = coalesce(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId;
');

-- First write (@GrainStateVersion NULL): insert version 1 unless the row exists.
-- Later writes: bump the version only where it still equals @GrainStateVersion.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, coalesce(@GrainIdExtensionString, ''''), @ServiceId,
       @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM OrleansStorage
              WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                AND GrainTypeString = @GrainTypeString
                AND GrainIdExtensionString = coalesce(@GrainIdExtensionString, '''')
                AND ServiceId = @ServiceId)
ON CONFLICT (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
DO UPDATE SET PayloadBinary = excluded.PayloadBinary,
              ModifiedOn = excluded.ModifiedOn,
              Version = OrleansStorage.Version + 1
        WHERE OrleansStorage.Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN coalesce(@GrainStateVersion, 0) + 1 ELSE @GrainStateVersion END AS NewGrainStateVersion;
');

-- Clearing keeps the row (payload NULL) so that the version keeps counting.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL, ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = coalesce(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1 ELSE @GrainStateVersion END AS NewGrainStateVersion;
');
