-- The transactional outbox (docs/decisions/0031-transactional-outbox.md): a use case records a domain
-- event in the same transaction as its change; one row per handler that takes that event type. A
-- background dispatcher delivers each row after commit, retrying with backoff; after the last attempt
-- the row is 'dead' and an admin can retry it.
CREATE TABLE outbox_messages (
    id              TEXT    NOT NULL PRIMARY KEY,
    handler         TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    user_id         TEXT    NULL,
    entity_type     TEXT    NOT NULL,
    entity_id       TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    locked_until    TEXT    NULL,
    lock_token      TEXT    NULL,
    last_error      TEXT    NULL,
    delivered_at    TEXT    NULL
);
CREATE INDEX ix_outbox_due ON outbox_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_outbox_dead ON outbox_messages (id) WHERE status = 'dead';
