-- expenses.account_id now that wallets exist: a reference that must point at a wallet.
UPDATE expenses SET account_id = NULL WHERE account_id IS NOT NULL AND account_id NOT IN (SELECT id FROM accounts);
ALTER TABLE expenses ADD CONSTRAINT fk_expenses_account FOREIGN KEY (account_id) REFERENCES accounts (id);
