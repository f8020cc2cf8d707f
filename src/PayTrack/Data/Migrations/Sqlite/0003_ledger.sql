-- The money core: wallet and system accounts, double-entry journal, transfers (with holds),
-- provider payments, idempotency keys and the hash-chained audit log.
CREATE TABLE accounts (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NULL REFERENCES users (id),
    name          TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    kind          TEXT    NOT NULL,            -- 'wallet' | 'system'
    system_key    TEXT    NULL,                -- e.g. 'provider:USD' for system accounts
    status        TEXT    NOT NULL,            -- 'active' | 'closed'
    balance_minor INTEGER NOT NULL DEFAULT 0,
    held_minor    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    -- The last line of defence against overdraft: a wallet can never be driven below zero available.
    CHECK (kind = 'system' OR (held_minor >= 0 AND balance_minor - held_minor >= 0))
);
CREATE UNIQUE INDEX ux_accounts_system_key ON accounts (system_key);
CREATE UNIQUE INDEX ux_accounts_user_name ON accounts (user_id, name);

CREATE TABLE transfers (
    id              TEXT    NOT NULL PRIMARY KEY,
    from_account_id TEXT    NOT NULL REFERENCES accounts (id),
    to_account_id   TEXT    NOT NULL REFERENCES accounts (id),
    from_user_id    TEXT    NOT NULL,
    to_user_id      TEXT    NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    currency        TEXT    NOT NULL,
    status          TEXT    NOT NULL,          -- pending | success | failed | voided | expired
    description     TEXT    NULL,
    failure_reason  TEXT    NULL,
    is_hold         INTEGER NOT NULL,
    expires_at      TEXT    NULL,
    created_at      TEXT    NOT NULL,
    completed_at    TEXT    NULL
);
CREATE INDEX ix_transfers_from_user ON transfers (from_user_id, id);
CREATE INDEX ix_transfers_to_user ON transfers (to_user_id, id);
CREATE INDEX ix_transfers_from_account ON transfers (from_account_id, id);
CREATE INDEX ix_transfers_to_account ON transfers (to_account_id, id);
CREATE INDEX ix_transfers_pending_expiry ON transfers (expires_at) WHERE status = 'pending';

CREATE TABLE payments (
    id              TEXT    NOT NULL PRIMARY KEY,
    kind            TEXT    NOT NULL,          -- 'deposit' | 'withdrawal'
    user_id         TEXT    NOT NULL REFERENCES users (id),
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
    currency        TEXT    NOT NULL,
    status          TEXT    NOT NULL,          -- pending | success | failed
    method          TEXT    NULL,
    destination     TEXT    NULL,
    provider_ref    TEXT    NULL,
    failure_reason  TEXT    NULL,
    idempotency_key TEXT    NULL,
    submitted_at    TEXT    NULL,
    created_at      TEXT    NOT NULL,
    completed_at    TEXT    NULL
);
CREATE UNIQUE INDEX ux_payments_idempotency ON payments (user_id, kind, idempotency_key);
CREATE INDEX ix_payments_pending ON payments (created_at) WHERE status = 'pending';

CREATE TABLE journal_entries (
    id           TEXT NOT NULL PRIMARY KEY,
    kind         TEXT NOT NULL,                -- transfer | deposit | withdrawal
    reference_id TEXT NOT NULL,
    currency     TEXT NOT NULL,
    description  TEXT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX ix_journal_entries_reference ON journal_entries (reference_id);

CREATE TABLE postings (
    id                  TEXT    NOT NULL PRIMARY KEY,
    entry_id            TEXT    NOT NULL REFERENCES journal_entries (id),
    account_id          TEXT    NOT NULL REFERENCES accounts (id),
    amount_minor        INTEGER NOT NULL,      -- signed: credit > 0, debit < 0
    balance_after_minor INTEGER NOT NULL,
    created_at          TEXT    NOT NULL
);
CREATE INDEX ix_postings_account ON postings (account_id, id);
CREATE INDEX ix_postings_entry ON postings (entry_id);

CREATE TABLE idempotency_keys (
    user_id         TEXT    NOT NULL,
    key             TEXT    NOT NULL,
    request_hash    TEXT    NOT NULL,
    status          TEXT    NOT NULL,          -- in_flight | done
    response_status INTEGER NULL,
    response_body   TEXT    NULL,
    content_type    TEXT    NULL,
    locked_at       TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    completed_at    TEXT    NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at);

CREATE TABLE audit_events (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor_id    TEXT    NULL,
    user_id     TEXT    NULL,                  -- whose data the event concerns
    event       TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    seq         INTEGER NULL,                  -- position in the hash chain, set when sealed
    prev_hash   TEXT    NULL,
    hash        TEXT    NULL
);
CREATE UNIQUE INDEX ux_audit_seq ON audit_events (seq);
CREATE INDEX ix_audit_user ON audit_events (user_id, id);
CREATE INDEX ix_audit_actor ON audit_events (actor_id, id);
CREATE INDEX ix_audit_unsealed ON audit_events (id) WHERE seq IS NULL;

-- Users who registered before the ledger existed get their Main wallet now.
INSERT INTO accounts (id, user_id, name, currency, kind, system_key, status, balance_minor, held_minor, created_at, updated_at)
SELECT upper(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       id, 'Main', default_currency, 'wallet', NULL, CASE WHEN status = 'closed' THEN 'closed' ELSE 'active' END, 0, 0, created_at, created_at
FROM (SELECT id, default_currency, status, created_at, hex(randomblob(16)) AS h FROM users);
