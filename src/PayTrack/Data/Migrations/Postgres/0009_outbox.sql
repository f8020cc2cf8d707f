-- The transactional outbox (docs/decisions/0031-transactional-outbox.md): a use case records a domain
-- event in the same transaction as its change; one row per handler that takes that event type. A
-- background dispatcher delivers each row after commit, retrying with backoff; after the last attempt
-- the row is 'dead' and an admin can retry it. Instances claim rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox_messages (
    id              uuid        NOT NULL PRIMARY KEY,
    handler         text        NOT NULL,
    type            text        NOT NULL,
    user_id         uuid        NULL,
    entity_type     text        NOT NULL,
    entity_id       uuid        NOT NULL,
    data            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz NULL,
    lock_token      uuid        NULL,
    last_error      text        NULL,
    delivered_at    timestamptz NULL
);
CREATE INDEX ix_outbox_due ON outbox_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_outbox_dead ON outbox_messages (id) WHERE status = 'dead';
