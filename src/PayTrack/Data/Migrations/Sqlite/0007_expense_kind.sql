-- Income beside expenses: an entry is money out ('expense', the default) or money in ('income').
-- Spending reports and budgets count 'expense' entries only; cash flow counts both.
ALTER TABLE expenses ADD COLUMN kind TEXT NOT NULL DEFAULT 'expense' CHECK (kind IN ('expense', 'income'));
