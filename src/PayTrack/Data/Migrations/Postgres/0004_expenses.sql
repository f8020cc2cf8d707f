-- Expense tracking: categories, expenses with tags and receipts, budgets, rules, exchange rates.
-- account_id names a wallet but has no foreign key: wallets arrive with the ledger (see ADR 0010).
CREATE TABLE categories (
    id         uuid        NOT NULL PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id),
    parent_id  uuid        NULL REFERENCES categories (id),
    name       text        NOT NULL,
    color      text        NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
-- Names are unique per user and parent, ignoring case; top-level names share the nil parent.
CREATE UNIQUE INDEX ux_categories_user_parent_name
    ON categories (user_id, COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
CREATE INDEX ix_categories_parent_id ON categories (parent_id);

CREATE TABLE expenses (
    id           uuid        NOT NULL PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id),
    account_id   uuid        NULL,
    category_id  uuid        NULL REFERENCES categories (id),
    amount_minor bigint      NOT NULL,
    currency     text        NOT NULL,
    date         date        NOT NULL,
    payee        text        NULL,
    description  text        NULL,
    external_id  text        NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
-- Lists (newest date first, keyset on date and id) and report windows both walk this index;
-- the included columns let a category/month report read the index alone.
CREATE INDEX ix_expenses_user_date_id ON expenses (user_id, date, id) INCLUDE (currency, amount_minor, category_id);
CREATE INDEX ix_expenses_category_id ON expenses (category_id);
CREATE INDEX ix_expenses_user_external_id ON expenses (user_id, external_id) WHERE external_id IS NOT NULL;

-- user_id and date repeat the expense's, so a by-tag report reads only the window's tags (ADR 0011).
CREATE TABLE expense_tags (
    expense_id uuid NOT NULL REFERENCES expenses (id) ON DELETE CASCADE,
    tag        text NOT NULL,
    user_id    uuid NOT NULL,
    date       date NOT NULL,
    PRIMARY KEY (expense_id, tag)
);
CREATE INDEX ix_expense_tags_user_date ON expense_tags (user_id, date) INCLUDE (expense_id, tag);

CREATE TABLE receipts (
    id           uuid        NOT NULL PRIMARY KEY,
    expense_id   uuid        NOT NULL REFERENCES expenses (id),
    user_id      uuid        NOT NULL REFERENCES users (id),
    file_name    text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    sha256       text        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX ix_receipts_expense_id ON receipts (expense_id);
CREATE INDEX ix_receipts_sha256 ON receipts (sha256);

CREATE TABLE budgets (
    id           uuid        NOT NULL PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id),
    name         text        NOT NULL,
    category_id  uuid        NULL REFERENCES categories (id),
    amount_minor bigint      NOT NULL,
    currency     text        NOT NULL,
    period       text        NOT NULL,
    start_day    integer     NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX ix_budgets_user_id ON budgets (user_id);
CREATE INDEX ix_budgets_category_id ON budgets (category_id);

CREATE TABLE rules (
    id              uuid        NOT NULL PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id),
    name            text        NOT NULL,
    match           text        NOT NULL,
    conditions      text        NOT NULL,
    set_category_id uuid        NULL REFERENCES categories (id),
    add_tags        text        NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX ix_rules_user_id ON rules (user_id);
CREATE INDEX ix_rules_set_category_id ON rules (set_category_id);

-- One unit of base is worth rate units of quote on date (and after, until the next row).
CREATE TABLE exchange_rates (
    base       text           NOT NULL,
    quote      text           NOT NULL,
    date       date           NOT NULL,
    rate       numeric(38,18) NOT NULL,
    updated_at timestamptz    NOT NULL,
    PRIMARY KEY (base, quote, date)
);
