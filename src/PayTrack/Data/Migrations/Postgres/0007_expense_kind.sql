-- Income beside expenses: an entry is money out ('expense', the default) or money in ('income').
-- Spending reports and budgets count 'expense' entries only; cash flow counts both.
ALTER TABLE expenses ADD COLUMN kind text NOT NULL DEFAULT 'expense';
ALTER TABLE expenses ADD CONSTRAINT ck_expenses_kind CHECK (kind IN ('expense', 'income'));
