-- Cirt embedded profile: every write of an incident's queue row takes the next change number
-- (the largest so far plus one, inside the writing transaction; SQLite lets one transaction write
-- at a time, so numbers grow in commit order). Whoever follows the read model (the inbox) asks for
-- the rows changed after the last number it saw: the cost follows the changes, not the followers.
-- Rows written before this script keep 0; a follower starts from the latest number.

ALTER TABLE incident_queue ADD COLUMN change_number INTEGER NOT NULL DEFAULT 0;

CREATE INDEX ix_incident_queue_change ON incident_queue (change_number);
