-- Cirt embedded profile: exercise incidents run the same workflow but stay out of statistics, so
-- the queue row says whether an incident is one (0 or 1).

ALTER TABLE incident_queue ADD COLUMN exercise INTEGER NOT NULL DEFAULT 0;
