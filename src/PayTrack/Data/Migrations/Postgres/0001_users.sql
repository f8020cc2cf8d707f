-- Users and one-off application flags.
CREATE TABLE users (
    id               uuid        NOT NULL PRIMARY KEY,
    email            text        NOT NULL,
    normalized_email text        NOT NULL,
    display_name     text        NOT NULL,
    default_currency text        NOT NULL,
    password_hash    text        NOT NULL,
    role             text        NOT NULL,
    status           text        NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);

-- A row here is claimed once, e.g. 'first-admin' by the first registration.
CREATE TABLE app_flags (
    key   text NOT NULL PRIMARY KEY,
    value text NULL
);
