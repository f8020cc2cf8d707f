-- Notifications (in-app and e-mail), per-user preferences, budget threshold alerts and webhooks.
-- All of them are produced by outbox handlers from domain events (docs/decisions/0031, 0041, 0042):
-- the event's outbox row is written with its cause; these rows are written when it is delivered.
CREATE TABLE notifications (
    id          TEXT NOT NULL PRIMARY KEY,
    user_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT NULL,
    -- the outbox message that produced it: a redelivered message adds nothing
    source_id   TEXT NOT NULL,
    UNIQUE (source_id, user_id, kind)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, id);
CREATE INDEX ix_notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- One row per user who changed anything; kinds turned off are listed per channel (comma-separated).
CREATE TABLE notification_preferences (
    user_id     TEXT NOT NULL PRIMARY KEY,
    email_off   TEXT NOT NULL DEFAULT '',
    in_app_off  TEXT NOT NULL DEFAULT '',
    locale      TEXT NULL,
    time_zone   TEXT NULL,
    updated_at  TEXT NOT NULL
);

-- A budget's 80 % and 100 % alerts, once per period each.
CREATE TABLE budget_alerts (
    budget_id    TEXT    NOT NULL,
    period_start TEXT    NOT NULL,
    threshold    INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (budget_id, period_start, threshold)
);

CREATE TABLE webhooks (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL,
    description     TEXT NULL,
    secret          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    disabled_reason TEXT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_webhooks_user ON webhooks (user_id, id);

-- One row per delivery attempt: the delivery log.
CREATE TABLE webhook_deliveries (
    id              TEXT    NOT NULL PRIMARY KEY,
    webhook_id      TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    status_code     INTEGER NULL,
    duration_ms     INTEGER NOT NULL,
    error           TEXT    NULL,
    next_attempt_at TEXT    NULL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
