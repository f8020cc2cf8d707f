-- Notifications (in-app and e-mail), per-user preferences, budget threshold alerts and webhooks.
-- All of them are produced by outbox handlers from domain events (docs/decisions/0031, 0041, 0042):
-- the event's outbox row is written with its cause; these rows are written when it is delivered.
CREATE TABLE notifications (
    id          uuid        NOT NULL PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text        NOT NULL,
    title       text        NOT NULL,
    body        text        NOT NULL,
    link        text        NULL,
    created_at  timestamptz NOT NULL,
    read_at     timestamptz NULL,
    -- the outbox message that produced it: a redelivered message adds nothing
    source_id   uuid        NOT NULL,
    UNIQUE (source_id, user_id, kind)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, id);
CREATE INDEX ix_notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- One row per user who changed anything; kinds turned off are listed per channel (comma-separated).
CREATE TABLE notification_preferences (
    user_id     uuid        NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email_off   text        NOT NULL DEFAULT '',
    in_app_off  text        NOT NULL DEFAULT '',
    locale      text        NULL,
    time_zone   text        NULL,
    updated_at  timestamptz NOT NULL
);

-- A budget's 80 % and 100 % alerts, once per period each.
CREATE TABLE budget_alerts (
    budget_id    uuid        NOT NULL,
    period_start date        NOT NULL,
    threshold    integer     NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (budget_id, period_start, threshold)
);

CREATE TABLE webhooks (
    id              uuid        NOT NULL PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url             text        NOT NULL,
    events          text        NOT NULL,
    description     text        NULL,
    secret          text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('active', 'disabled')),
    disabled_reason text        NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX ix_webhooks_user ON webhooks (user_id, id);

-- One row per delivery attempt: the delivery log.
CREATE TABLE webhook_deliveries (
    id              uuid        NOT NULL PRIMARY KEY,
    webhook_id      uuid        NOT NULL,
    message_id      uuid        NOT NULL,
    event_type      text        NOT NULL,
    attempt         integer     NOT NULL,
    status_code     integer     NULL,
    duration_ms     integer     NOT NULL,
    error           text        NULL,
    next_attempt_at timestamptz NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
