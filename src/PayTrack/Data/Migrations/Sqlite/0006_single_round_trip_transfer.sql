-- On PostgreSQL this version adds ledger_send_transfer(), a transfer in one server-side call.
-- SQLite runs in-process, where a round trip costs nothing, so the same steps run from C#
-- (TransferEngine.SendOnceAsync) and the schema does not change; the version is kept so that both
-- providers stay numbered alike.
SELECT 1;
