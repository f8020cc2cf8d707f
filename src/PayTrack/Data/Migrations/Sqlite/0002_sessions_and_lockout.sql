-- Sign-in sessions with rotating refresh tokens, and account lockout.
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN lockout_end TEXT NULL;

CREATE TABLE sessions (
    id             TEXT NOT NULL PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    revoked_at     TEXT NULL,
    revoked_reason TEXT NULL
);
CREATE INDEX ix_sessions_user_id ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id         TEXT NOT NULL PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NULL
);
CREATE UNIQUE INDEX ux_refresh_tokens_token_hash ON refresh_tokens (token_hash);
CREATE INDEX ix_refresh_tokens_session_id ON refresh_tokens (session_id);
