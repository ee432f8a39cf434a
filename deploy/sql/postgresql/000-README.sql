-- Cirt's PostgreSQL schema for the cluster profile (Cirt:Storage=Cluster), applied at start by
-- every silo under an advisory lock, in name order, each script once (recorded in cirt_schema).
-- Scripts are written so that applying one twice is harmless too (IF NOT EXISTS).
-- Files: NNN-<what>.sql; a folder per store where a store has several.
SELECT 1;
