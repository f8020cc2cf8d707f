-- Rules run in an order the person chooses: position ascending (then creation time for equal positions,
-- which is how rules made before this migration keep their order).
ALTER TABLE rules ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
