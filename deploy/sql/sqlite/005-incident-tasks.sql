-- Cirt embedded profile: the tasks on incidents, published by the incident grains with their
-- summary, so that "my organisation's open tasks" or "overdue tasks" is one indexed query.
-- Times are Unix milliseconds; due_at is NULL for a task without a due date.

CREATE TABLE incident_task
(
    tracking_id           TEXT    NOT NULL REFERENCES incident_queue (tracking_id),
    number                INTEGER NOT NULL,
    title                 TEXT    NOT NULL,
    assignee_stakeholder  TEXT    NOT NULL,
    assignee_analyst      TEXT    NOT NULL,
    due_at                INTEGER NULL,
    status                INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    created_by            TEXT    NOT NULL,
    origin                TEXT    NOT NULL,
    updated_at            INTEGER NOT NULL,
    PRIMARY KEY (tracking_id, number)
) WITHOUT ROWID;

CREATE INDEX ix_incident_task_stakeholder ON incident_task (assignee_stakeholder, status, due_at);
CREATE INDEX ix_incident_task_due ON incident_task (status, due_at);
