-- expenses.account_id now that wallets exist: a reference that must point at a wallet.
-- SQLite cannot add a foreign key to an existing table; these triggers enforce the same rule.
UPDATE expenses SET account_id = NULL WHERE account_id IS NOT NULL AND account_id NOT IN (SELECT id FROM accounts);
CREATE TRIGGER tr_expenses_account_insert BEFORE INSERT ON expenses
WHEN NEW.account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts WHERE id = NEW.account_id)
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: expenses.account_id'); END;
CREATE TRIGGER tr_expenses_account_update BEFORE UPDATE OF account_id ON expenses
WHEN NEW.account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts WHERE id = NEW.account_id)
BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: expenses.account_id'); END;
