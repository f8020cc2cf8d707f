-- On PostgreSQL this version replaces ledger_send_transfer() by ledger_apply_transfer(), which applies
-- a transfer the application decided instead of deciding it. SQLite has no server-side function: the
-- schema does not change; the version is kept so that both providers stay numbered alike.
SELECT 1;
