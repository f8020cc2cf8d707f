-- ledger_apply_transfer() also writes the transfer's outbox rows (one per handler that takes the event,
-- chosen by the application's DomainEvents), so a single transfer on PostgreSQL stays one call when
-- notifications or webhooks subscribe to transfer events (before, such a handler sent every single
-- transfer down the slower multi-statement path).
DROP FUNCTION ledger_apply_transfer(uuid, text, text, uuid, uuid, uuid, bigint, text, text, boolean, timestamptz, timestamptz,
    uuid, uuid, uuid, text, text, text);

CREATE FUNCTION ledger_apply_transfer(
    p_user uuid, p_key text, p_hash text,
    p_id uuid, p_from uuid, p_to uuid, p_amount bigint, p_currency text,
    p_description text, p_hold boolean, p_expires_at timestamptz, p_now timestamptz,
    p_entry_id uuid, p_posting_from uuid, p_posting_to uuid,
    p_ok_body text, p_ok_event text, p_ok_data text,
    p_outbox_ids uuid[], p_outbox_handlers text[], p_outbox_type text, p_outbox_data text)
RETURNS TABLE (outcome text,
    key_hash text, key_status text, key_response_status integer, key_body text, key_type text, key_locked_at timestamptz,
    from_status text, from_available bigint, to_status text, to_kind text, to_currency text, to_user uuid)
LANGUAGE plpgsql AS $fn$
DECLARE
    k record;
    f_balance bigint; f_held bigint; f_status text;
    t_status text; t_user uuid; t_kind text; t_currency text;
    from_after bigint; to_after bigint;
BEGIN
    IF p_key IS NOT NULL THEN
        -- A duplicate of a request still running answers 409 at once instead of queueing.
        IF NOT pg_try_advisory_xact_lock(hashtextextended(p_user::text || '/' || p_key, 7)) THEN
            RETURN QUERY SELECT 'in-flight'::text, NULL::text, NULL::text, NULL::integer, NULL::text, NULL::text, NULL::timestamptz,
                NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::uuid;
            RETURN;
        END IF;
        SELECT i.request_hash, i.status, i.response_status, i.response_body, i.content_type, i.locked_at INTO k
        FROM idempotency_keys i WHERE i.user_id = p_user AND i.key = p_key;
        IF FOUND THEN
            RETURN QUERY SELECT 'key-found'::text, k.request_hash, k.status, k.response_status, k.response_body, k.content_type, k.locked_at,
                NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::uuid;
            RETURN;
        END IF;
    END IF;

    -- Both rows locked in id order, like every other movement, so two movements never wait in a circle.
    IF p_from < p_to THEN
        SELECT a.balance_minor, a.held_minor, a.status INTO f_balance, f_held, f_status FROM accounts a WHERE a.id = p_from FOR NO KEY UPDATE;
        SELECT a.status, a.user_id, a.kind, a.currency INTO t_status, t_user, t_kind, t_currency FROM accounts a WHERE a.id = p_to FOR NO KEY UPDATE;
    ELSE
        SELECT a.status, a.user_id, a.kind, a.currency INTO t_status, t_user, t_kind, t_currency FROM accounts a WHERE a.id = p_to FOR NO KEY UPDATE;
        SELECT a.balance_minor, a.held_minor, a.status INTO f_balance, f_held, f_status FROM accounts a WHERE a.id = p_from FOR NO KEY UPDATE;
    END IF;

    -- The conditional write: book only when every precondition the application checks holds (a missing
    -- row reads as NULLs, which COALESCE turns into "does not hold").
    IF NOT COALESCE(f_status = 'active' AND t_status = 'active' AND t_kind = 'wallet' AND t_currency = p_currency AND f_balance - f_held >= p_amount, false) THEN
        RETURN QUERY SELECT 'refused'::text, NULL::text, NULL::text, NULL::integer, NULL::text, NULL::text, NULL::timestamptz,
            f_status, f_balance - f_held, t_status, t_kind, t_currency, t_user;
        RETURN;
    END IF;

    IF p_hold THEN
        INSERT INTO transfers (id, from_account_id, to_account_id, from_user_id, to_user_id, amount_minor, currency, status, description, failure_reason, is_hold, expires_at, created_at, completed_at)
        VALUES (p_id, p_from, p_to, p_user, t_user, p_amount, p_currency, 'pending', p_description, NULL, true, p_expires_at, p_now, NULL);
        UPDATE accounts SET held_minor = held_minor + p_amount, updated_at = p_now WHERE id = p_from;
    ELSE
        INSERT INTO transfers (id, from_account_id, to_account_id, from_user_id, to_user_id, amount_minor, currency, status, description, failure_reason, is_hold, expires_at, created_at, completed_at)
        VALUES (p_id, p_from, p_to, p_user, t_user, p_amount, p_currency, 'success', p_description, NULL, false, NULL, p_now, p_now);
        INSERT INTO journal_entries (id, kind, reference_id, currency, description, created_at)
        VALUES (p_entry_id, 'transfer', p_id, p_currency, p_description, p_now);
        UPDATE accounts SET balance_minor = balance_minor - p_amount, updated_at = p_now WHERE id = p_from RETURNING balance_minor INTO from_after;
        UPDATE accounts SET balance_minor = balance_minor + p_amount, updated_at = p_now WHERE id = p_to RETURNING balance_minor INTO to_after;
        INSERT INTO postings (id, entry_id, account_id, amount_minor, balance_after_minor, created_at)
        VALUES (p_posting_from, p_entry_id, p_from, -p_amount, from_after, p_now),
               (p_posting_to, p_entry_id, p_to, p_amount, to_after, p_now);
    END IF;
    INSERT INTO audit_events (at, actor_id, user_id, event, entity_type, entity_id, data)
    VALUES (p_now, p_user, p_user, p_ok_event, 'transfer', p_id, p_ok_data);
    -- The domain event's outbox rows, one per handler that takes it (DomainEvents chose them): delivered after commit.
    IF cardinality(p_outbox_ids) > 0 THEN
        INSERT INTO outbox_messages (id, handler, type, user_id, entity_type, entity_id, data, created_at, status, attempts, next_attempt_at)
        SELECT u.id, u.handler, p_outbox_type, p_user, 'transfer', p_id, p_outbox_data, p_now, 'pending', 0, p_now
        FROM unnest(p_outbox_ids, p_outbox_handlers) AS u(id, handler);
    END IF;
    IF p_key IS NOT NULL THEN
        INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_status, response_body, content_type, locked_at, created_at, completed_at)
        VALUES (p_user, p_key, p_hash, 'done', 201, p_ok_body, 'application/json', p_now, p_now, p_now);
    END IF;
    RETURN QUERY SELECT 'done'::text, NULL::text, NULL::text, NULL::integer, NULL::text, NULL::text, NULL::timestamptz,
        f_status, f_balance - f_held, t_status, t_kind, t_currency, t_user;
END;
$fn$;
