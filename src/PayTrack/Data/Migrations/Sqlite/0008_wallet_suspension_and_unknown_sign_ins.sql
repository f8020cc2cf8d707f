-- A suspended user's wallets are suspended too: no money leaves or reaches them by any path
-- (transfer by id or e-mail, batch, hold capture) until the user is reactivated.
UPDATE accounts SET status = 'suspended'
WHERE status = 'active' AND user_id IN (SELECT id FROM users WHERE status = 'suspended');

-- Failed sign-ins for e-mails that have no account, counted like a user's own, so that the lockout
-- answer (423 + Retry-After) does not tell which e-mails have accounts.
CREATE TABLE sign_in_failures (
    normalized_email TEXT    NOT NULL PRIMARY KEY,
    failures         INTEGER NOT NULL,
    lockout_end      TEXT    NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX ix_sign_in_failures_updated_at ON sign_in_failures (updated_at);
