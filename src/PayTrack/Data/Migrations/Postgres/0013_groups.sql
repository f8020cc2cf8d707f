-- Groups: shared expenses with several payers and exact splits, running balances per member,
-- settlements (through the ledger or in cash), invites and an activity log (ADR 0039).
CREATE TABLE groups (
    id         uuid        NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    currency   text        NOT NULL,
    wallet_id  uuid        NOT NULL REFERENCES accounts (id),
    created_by uuid        NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz NULL
);

-- Running totals in the group currency, changed in the transaction of each expense, edit, delete and
-- settlement; a balance is paid - owed + sent - received, and the balances of a group sum to zero.
CREATE TABLE group_members (
    group_id       uuid        NOT NULL REFERENCES groups (id),
    user_id        uuid        NOT NULL REFERENCES users (id),
    role           text        NOT NULL CHECK (role IN ('owner', 'approver', 'member')),
    paid_minor     bigint      NOT NULL DEFAULT 0,
    owed_minor     bigint      NOT NULL DEFAULT 0,
    sent_minor     bigint      NOT NULL DEFAULT 0,
    received_minor bigint      NOT NULL DEFAULT 0,
    joined_at      timestamptz NOT NULL,
    left_at        timestamptz NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX ix_group_members_user ON group_members (user_id) WHERE left_at IS NULL;

CREATE TABLE group_invites (
    id               uuid        NOT NULL PRIMARY KEY,
    group_id         uuid        NOT NULL REFERENCES groups (id),
    email            text        NOT NULL,
    normalized_email text        NOT NULL,
    role             text        NOT NULL,
    token_hash       text        NOT NULL,
    invited_by       uuid        NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    accepted_at      timestamptz NULL,
    accepted_by      uuid        NULL REFERENCES users (id)
);
CREATE UNIQUE INDEX ux_group_invites_token ON group_invites (token_hash);

CREATE TABLE group_expenses (
    id                 uuid        NOT NULL PRIMARY KEY,
    group_id           uuid        NOT NULL REFERENCES groups (id),
    description        text        NOT NULL,
    amount_minor       bigint      NOT NULL CHECK (amount_minor > 0),
    currency           text        NOT NULL,
    rate               text        NOT NULL,
    group_amount_minor bigint      NOT NULL CHECK (group_amount_minor >= 0),
    date               date        NOT NULL,
    category           text        NULL,
    split_mode         text        NOT NULL,
    created_by         uuid        NOT NULL REFERENCES users (id),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            integer     NOT NULL
);
CREATE INDEX ix_group_expenses_group_date_id ON group_expenses (group_id, date, id);

CREATE TABLE group_expense_parts (
    expense_id   uuid   NOT NULL REFERENCES group_expenses (id) ON DELETE CASCADE,
    kind         text   NOT NULL CHECK (kind IN ('payer', 'share')),
    user_id      uuid   NOT NULL REFERENCES users (id),
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    group_minor  bigint NOT NULL CHECK (group_minor >= 0),
    value        text   NULL,
    PRIMARY KEY (expense_id, kind, user_id)
);

CREATE TABLE group_settlements (
    id           uuid        NOT NULL PRIMARY KEY,
    group_id     uuid        NOT NULL REFERENCES groups (id),
    from_user_id uuid        NOT NULL REFERENCES users (id),
    to_user_id   uuid        NOT NULL REFERENCES users (id),
    amount_minor bigint      NOT NULL CHECK (amount_minor > 0),
    currency     text        NOT NULL,
    method       text        NOT NULL CHECK (method IN ('wallet', 'cash')),
    transfer_id  uuid        NULL REFERENCES transfers (id),
    created_at   timestamptz NOT NULL
);
CREATE INDEX ix_group_settlements_group_id ON group_settlements (group_id, id);

CREATE TABLE group_activity (
    id          uuid        NOT NULL PRIMARY KEY,
    group_id    uuid        NOT NULL REFERENCES groups (id),
    at          timestamptz NOT NULL,
    actor_id    uuid        NOT NULL REFERENCES users (id),
    action      text        NOT NULL,
    entity_type text        NOT NULL,
    entity_id   uuid        NOT NULL,
    summary     text        NOT NULL,
    before      text        NULL,
    after       text        NULL
);
CREATE INDEX ix_group_activity_group_id ON group_activity (group_id, id);

-- Receipts of group expenses: bytes in the blob store as for personal receipts; every member may download them.
CREATE TABLE group_expense_receipts (
    id           uuid        NOT NULL PRIMARY KEY,
    group_id     uuid        NOT NULL REFERENCES groups (id),
    expense_id   uuid        NOT NULL REFERENCES group_expenses (id),
    user_id      uuid        NOT NULL REFERENCES users (id),
    file_name    text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    sha256       text        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX ix_group_expense_receipts_expense ON group_expense_receipts (expense_id);
CREATE INDEX ix_group_expense_receipts_sha256 ON group_expense_receipts (sha256);
