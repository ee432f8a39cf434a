-- Cirt embedded profile: the former key table (ingest_event_key, one row per stored event, created
-- by 001) becomes resend runs and goes.
--
-- A data folder from before 002 still holds its keys: they move into runs of 100,000 keys (8 bytes
-- each, little-endian, as passes write them), all of generation 0 and counting up to the position
-- already aggregated. The resend window takes, of those, as many as one generation holds; the runs
-- are deleted when it forgets generation 0. A data folder converted at start by servers since 002,
-- and a new one, have no keys to move: the table is created empty if it is gone, then dropped.

CREATE TABLE IF NOT EXISTS ingest_event_key
(
    key INTEGER NOT NULL PRIMARY KEY
);

INSERT INTO ingest_key_run (up_to_seq, generation, keys)
SELECT (SELECT aggregated_seq FROM ingest_progress WHERE id = 1),
       0,
       -- printf('%016X') writes the 64-bit two's complement, most significant byte first: the
       -- bytes are swapped into little-endian order, then the run is made from their hex text.
       unhex(group_concat(substr(h, 15, 2) || substr(h, 13, 2) || substr(h, 11, 2) || substr(h, 9, 2)
                       || substr(h, 7, 2) || substr(h, 5, 2) || substr(h, 3, 2) || substr(h, 1, 2), ''))
FROM (SELECT printf('%016X', key) AS h, (row_number() OVER (ORDER BY key) - 1) / 100000 AS run FROM ingest_event_key)
GROUP BY run
ORDER BY run;

DROP TABLE ingest_event_key;
