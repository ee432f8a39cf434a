-- Cirt embedded profile: the severity a reporter claimed, kept apart from the CIRT's (severity,
-- set at triage), so that the triage queue shows the claim as a claim and still sorts by it among
-- incidents the CIRT has not assessed yet. Rows written before this script keep 0 (unspecified).

ALTER TABLE incident_queue ADD COLUMN reported_severity INTEGER NOT NULL DEFAULT 0;
