-- Expense tracking: categories, expenses with tags and receipts, budgets, rules, exchange rates.
-- account_id names a wallet but has no foreign key: wallets arrive with the ledger (see ADR 0010).
CREATE TABLE categories (
    id         TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    parent_id  TEXT NULL REFERENCES categories (id),
    name       TEXT NOT NULL,
    color      TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Names are unique per user and parent, ignoring case; top-level names share the empty parent.
CREATE UNIQUE INDEX ux_categories_user_parent_name ON categories (user_id, COALESCE(parent_id, ''), lower(name));
CREATE INDEX ix_categories_parent_id ON categories (parent_id);

CREATE TABLE expenses (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    account_id   TEXT    NULL,
    category_id  TEXT    NULL REFERENCES categories (id),
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    payee        TEXT    NULL,
    description  TEXT    NULL,
    external_id  TEXT    NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
-- Lists (newest date first, keyset on date and id) and report windows both walk this index.
CREATE INDEX ix_expenses_user_date_id ON expenses (user_id, date, id);
CREATE INDEX ix_expenses_category_id ON expenses (category_id);
CREATE INDEX ix_expenses_user_external_id ON expenses (user_id, external_id) WHERE external_id IS NOT NULL;

-- user_id and date repeat the expense's, so a by-tag report reads only the window's tags (ADR 0011).
CREATE TABLE expense_tags (
    expense_id TEXT NOT NULL REFERENCES expenses (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    date       TEXT NOT NULL,
    PRIMARY KEY (expense_id, tag)
);
CREATE INDEX ix_expense_tags_user_date ON expense_tags (user_id, date);

CREATE TABLE receipts (
    id           TEXT    NOT NULL PRIMARY KEY,
    expense_id   TEXT    NOT NULL REFERENCES expenses (id),
    user_id      TEXT    NOT NULL REFERENCES users (id),
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX ix_receipts_expense_id ON receipts (expense_id);
CREATE INDEX ix_receipts_sha256 ON receipts (sha256);

CREATE TABLE budgets (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    category_id  TEXT    NULL REFERENCES categories (id),
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    period       TEXT    NOT NULL,
    start_day    INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX ix_budgets_user_id ON budgets (user_id);
CREATE INDEX ix_budgets_category_id ON budgets (category_id);

CREATE TABLE rules (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL,
    match           TEXT NOT NULL,
    conditions      TEXT NOT NULL,
    set_category_id TEXT NULL REFERENCES categories (id),
    add_tags        TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_rules_user_id ON rules (user_id);
CREATE INDEX ix_rules_set_category_id ON rules (set_category_id);

-- One unit of base is worth rate units of quote on date (and after, until the next row).
CREATE TABLE exchange_rates (
    base       TEXT NOT NULL,
    quote      TEXT NOT NULL,
    date       TEXT NOT NULL,
    rate       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (base, quote, date)
);
