-- Sign-in sessions with rotating refresh tokens, and account lockout.
ALTER TABLE users ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN lockout_end timestamptz NULL;

CREATE TABLE sessions (
    id             uuid        NOT NULL PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    revoked_at     timestamptz NULL,
    revoked_reason text        NULL
);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id         uuid        NOT NULL PRIMARY KEY,
    session_id uuid        NOT NULL REFERENCES sessions (id),
    token_hash text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NULL
);
CREATE UNIQUE INDEX ux_refresh_tokens_token_hash ON refresh_tokens (token_hash);
CREATE INDEX ix_refresh_tokens_session_id ON refresh_tokens (session_id);
