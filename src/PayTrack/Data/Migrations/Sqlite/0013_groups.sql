-- Groups: shared expenses with several payers and exact splits, running balances per member,
-- settlements (through the ledger or in cash), invites and an activity log (ADR 0039).
CREATE TABLE groups (
    id         TEXT        NOT NULL PRIMARY KEY,
    name       TEXT        NOT NULL,
    currency   TEXT        NOT NULL,
    wallet_id  TEXT        NOT NULL REFERENCES accounts (id),
    created_by TEXT        NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT NULL
);

-- Running totals in the group currency, changed in the transaction of each expense, edit, delete and
-- settlement; a balance is paid - owed + sent - received, and the balances of a group sum to zero.
CREATE TABLE group_members (
    group_id       TEXT        NOT NULL REFERENCES groups (id),
    user_id        TEXT        NOT NULL REFERENCES users (id),
    role           TEXT        NOT NULL CHECK (role IN ('owner', 'approver', 'member')),
    paid_minor     INTEGER      NOT NULL DEFAULT 0,
    owed_minor     INTEGER      NOT NULL DEFAULT 0,
    sent_minor     INTEGER      NOT NULL DEFAULT 0,
    received_minor INTEGER      NOT NULL DEFAULT 0,
    joined_at      TEXT NOT NULL,
    left_at        TEXT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX ix_group_members_user ON group_members (user_id) WHERE left_at IS NULL;

CREATE TABLE group_invites (
    id               TEXT        NOT NULL PRIMARY KEY,
    group_id         TEXT        NOT NULL REFERENCES groups (id),
    email            TEXT        NOT NULL,
    normalized_email TEXT        NOT NULL,
    role             TEXT        NOT NULL,
    token_hash       TEXT        NOT NULL,
    invited_by       TEXT        NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    accepted_at      TEXT NULL,
    accepted_by      TEXT        NULL REFERENCES users (id)
);
CREATE UNIQUE INDEX ux_group_invites_token ON group_invites (token_hash);

CREATE TABLE group_expenses (
    id                 TEXT        NOT NULL PRIMARY KEY,
    group_id           TEXT        NOT NULL REFERENCES groups (id),
    description        TEXT        NOT NULL,
    amount_minor       INTEGER      NOT NULL CHECK (amount_minor > 0),
    currency           TEXT        NOT NULL,
    rate               TEXT        NOT NULL,
    group_amount_minor INTEGER      NOT NULL CHECK (group_amount_minor >= 0),
    date               TEXT        NOT NULL,
    category           TEXT        NULL,
    split_mode         TEXT        NOT NULL,
    created_by         TEXT        NOT NULL REFERENCES users (id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER     NOT NULL
);
CREATE INDEX ix_group_expenses_group_date_id ON group_expenses (group_id, date, id);

CREATE TABLE group_expense_parts (
    expense_id   TEXT   NOT NULL REFERENCES group_expenses (id) ON DELETE CASCADE,
    kind         TEXT   NOT NULL CHECK (kind IN ('payer', 'share')),
    user_id      TEXT   NOT NULL REFERENCES users (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    group_minor  INTEGER NOT NULL CHECK (group_minor >= 0),
    value        TEXT   NULL,
    PRIMARY KEY (expense_id, kind, user_id)
);

CREATE TABLE group_settlements (
    id           TEXT        NOT NULL PRIMARY KEY,
    group_id     TEXT        NOT NULL REFERENCES groups (id),
    from_user_id TEXT        NOT NULL REFERENCES users (id),
    to_user_id   TEXT        NOT NULL REFERENCES users (id),
    amount_minor INTEGER      NOT NULL CHECK (amount_minor > 0),
    currency     TEXT        NOT NULL,
    method       TEXT        NOT NULL CHECK (method IN ('wallet', 'cash')),
    transfer_id  TEXT        NULL REFERENCES transfers (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX ix_group_settlements_group_id ON group_settlements (group_id, id);

CREATE TABLE group_activity (
    id          TEXT        NOT NULL PRIMARY KEY,
    group_id    TEXT        NOT NULL REFERENCES groups (id),
    at          TEXT NOT NULL,
    actor_id    TEXT        NOT NULL REFERENCES users (id),
    action      TEXT        NOT NULL,
    entity_type TEXT        NOT NULL,
    entity_id   TEXT        NOT NULL,
    summary     TEXT        NOT NULL,
    before      TEXT        NULL,
    after       TEXT        NULL
);
CREATE INDEX ix_group_activity_group_id ON group_activity (group_id, id);

-- Receipts of group expenses: bytes in the blob store as for personal receipts; every member may download them.
CREATE TABLE group_expense_receipts (
    id           TEXT    NOT NULL PRIMARY KEY,
    group_id     TEXT    NOT NULL REFERENCES groups (id),
    expense_id   TEXT    NOT NULL REFERENCES group_expenses (id),
    user_id      TEXT    NOT NULL REFERENCES users (id),
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX ix_group_expense_receipts_expense ON group_expense_receipts (expense_id);
CREATE INDEX ix_group_expense_receipts_sha256 ON group_expense_receipts (sha256);
