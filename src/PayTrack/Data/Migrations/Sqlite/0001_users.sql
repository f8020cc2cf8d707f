-- Users and one-off application flags.
CREATE TABLE users (
    id               TEXT NOT NULL PRIMARY KEY,
    email            TEXT NOT NULL,
    normalized_email TEXT NOT NULL,
    display_name     TEXT NOT NULL,
    default_currency TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    role             TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);

-- A row here is claimed once, e.g. 'first-admin' by the first registration.
CREATE TABLE app_flags (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NULL
);
