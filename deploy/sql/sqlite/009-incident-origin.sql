-- Cirt embedded profile: a foreign incident (one a partner CIRT shared with us) shows in the queue
-- with the partner instance it came from; empty for our own incidents, and for rows written before
-- this script.

ALTER TABLE incident_queue ADD COLUMN origin_instance TEXT NOT NULL DEFAULT '';
