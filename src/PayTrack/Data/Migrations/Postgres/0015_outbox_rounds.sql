-- The dispatcher claims due messages in (next_attempt_at, id) order. An index on next_attempt_at alone
-- made every claim read and sort all due rows before taking the first few: under a backlog of tens of
-- thousands a claim cost milliseconds and grew with the backlog. With id in the index the claim reads
-- only the rows it takes (and the few another worker holds).
DROP INDEX ix_outbox_due;
CREATE INDEX ix_outbox_due ON outbox_messages (next_attempt_at, id) WHERE status = 'pending';
-- Room on each page for the claim's update to stay on the page (a HOT update: no new index entries).
ALTER TABLE outbox_messages SET (fillfactor = 80);

-- A webhook event handled again (its instance stopped before marking it done) looks up which of its
-- deliveries are already in the log, by delivery id.
CREATE INDEX ix_webhook_deliveries_message ON webhook_deliveries (message_id);

-- One row per event for every handler that takes it; a handler that fails gets a row split off it, which
-- names the event here so the handler keys its effects on the event (ADR 0043).
ALTER TABLE outbox_messages ADD COLUMN event_id uuid NULL;
