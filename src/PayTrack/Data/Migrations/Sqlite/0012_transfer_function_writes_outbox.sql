-- On PostgreSQL this version lets ledger_apply_transfer() write the transfer's outbox rows. SQLite has no
-- server-side function: the schema does not change; the version is kept so that both providers stay numbered alike.
SELECT 1;
