-- One transfer between two wallets in one server-side call, so that the rows stay locked for one
-- execution and one commit instead of several round trips (docs/decisions/0026-transfer-in-one-call.md).
-- The application has already checked the request, the owner and the currencies, and hands in every
-- id, the timestamps and the response bodies; this function decides on the locked balances, writes
-- the transfer, the journal entry, the postings, the audit event and the Idempotency-Key's answer,
-- and returns that answer. Called outside any explicit transaction, the call is its own transaction.
CREATE FUNCTION ledger_send_transfer(
    p_user uuid, p_key text, p_hash text,
    p_id uuid, p_from uuid, p_to uuid, p_to_user uuid, p_amount bigint, p_currency text, p_minor_digits integer,
    p_description text, p_hold boolean, p_expires_at timestamptz, p_now timestamptz,
    p_entry_id uuid, p_posting_from uuid, p_posting_to uuid,
    p_ok_body text, p_ok_event text, p_ok_data text, p_failed_data text,
    p_no_funds_body text, p_inactive_body text,
    p_check_recipient boolean, p_no_recipient_body text, p_other_currency_body text)
RETURNS TABLE (outcome text, status integer, body text, content_type text)
LANGUAGE plpgsql AS $fn$
DECLARE
    k record;
    f_balance bigint; f_held bigint; f_status text;
    t_status text; t_user uuid; t_kind text; t_currency text;
    from_after bigint; to_after bigint;
    refusal text;
    answer_status integer;
    answer_body text;
    answer_type text;
BEGIN
    IF p_key IS NOT NULL THEN
        -- A duplicate of a request still running answers 409 at once instead of queueing.
        IF NOT pg_try_advisory_xact_lock(hashtextextended(p_user::text || '/' || p_key, 7)) THEN
            RETURN QUERY SELECT 'in-flight'::text, 409, NULL::text, NULL::text;
            RETURN;
        END IF;
        SELECT i.request_hash, i.status, i.response_status, i.response_body, i.content_type, i.locked_at INTO k
        FROM idempotency_keys i WHERE i.user_id = p_user AND i.key = p_key;
        IF FOUND THEN
            IF k.request_hash <> p_hash THEN
                RETURN QUERY SELECT 'key-reused'::text, 422, NULL::text, NULL::text; RETURN;
            END IF;
            IF k.status = 'done' THEN
                RETURN QUERY SELECT 'replay'::text, k.response_status, k.response_body, k.content_type; RETURN;
            END IF;
            IF k.locked_at > p_now - interval '60 seconds' THEN
                RETURN QUERY SELECT 'in-flight'::text, 409, NULL::text, NULL::text; RETURN;
            END IF;
            -- A two-phase claim whose request died without committing: this call takes its place.
            DELETE FROM idempotency_keys i WHERE i.user_id = p_user AND i.key = p_key AND i.status = 'in_flight';
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

    IF p_check_recipient THEN
        p_to_user := t_user;
        -- Refusals about the recipient keep no failed transfer, like the same checks made before booking.
        IF t_kind IS DISTINCT FROM 'wallet' OR t_currency IS DISTINCT FROM p_currency THEN
            answer_body := CASE WHEN t_kind IS DISTINCT FROM 'wallet' THEN p_no_recipient_body
                                ELSE replace(p_other_currency_body, '__CURRENCY__', t_currency) END;
            IF p_key IS NOT NULL THEN
                INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_status, response_body, content_type, locked_at, created_at, completed_at)
                VALUES (p_user, p_key, p_hash, 'done', 422, answer_body, 'application/problem+json', p_now, p_now, p_now);
            END IF;
            RETURN QUERY SELECT 'refused'::text, 422, answer_body, 'application/problem+json'::text;
            RETURN;
        END IF;
    END IF;

    refusal := CASE
        WHEN f_status IS DISTINCT FROM 'active' OR t_status IS DISTINCT FROM 'active' THEN 'account-not-active'
        WHEN f_balance - f_held < p_amount THEN 'insufficient-funds'
    END;

    IF refusal IS NOT NULL THEN
        INSERT INTO transfers (id, from_account_id, to_account_id, from_user_id, to_user_id, amount_minor, currency, status, description, failure_reason, is_hold, expires_at, created_at, completed_at)
        VALUES (p_id, p_from, p_to, p_user, p_to_user, p_amount, p_currency, 'failed', p_description,
                CASE refusal WHEN 'insufficient-funds' THEN 'insufficient funds' ELSE 'account not active' END, p_hold, NULL, p_now, p_now);
        INSERT INTO audit_events (at, actor_id, user_id, event, entity_type, entity_id, data)
        VALUES (p_now, p_user, p_user, 'transfer.failed', 'transfer', p_id, p_failed_data);
        answer_status := 422;
        answer_type := 'application/problem+json';
        answer_body := CASE refusal
            WHEN 'insufficient-funds' THEN replace(p_no_funds_body, '__AVAILABLE__',
                round((f_balance - f_held)::numeric / (10::numeric ^ p_minor_digits), p_minor_digits)::text)
            ELSE p_inactive_body END;
    ELSIF p_hold THEN
        INSERT INTO transfers (id, from_account_id, to_account_id, from_user_id, to_user_id, amount_minor, currency, status, description, failure_reason, is_hold, expires_at, created_at, completed_at)
        VALUES (p_id, p_from, p_to, p_user, p_to_user, p_amount, p_currency, 'pending', p_description, NULL, true, p_expires_at, p_now, NULL);
        UPDATE accounts SET held_minor = held_minor + p_amount, updated_at = p_now WHERE id = p_from;
        INSERT INTO audit_events (at, actor_id, user_id, event, entity_type, entity_id, data)
        VALUES (p_now, p_user, p_user, p_ok_event, 'transfer', p_id, p_ok_data);
        answer_status := 201; answer_type := 'application/json'; answer_body := p_ok_body;
    ELSE
        INSERT INTO transfers (id, from_account_id, to_account_id, from_user_id, to_user_id, amount_minor, currency, status, description, failure_reason, is_hold, expires_at, created_at, completed_at)
        VALUES (p_id, p_from, p_to, p_user, p_to_user, p_amount, p_currency, 'success', p_description, NULL, false, NULL, p_now, p_now);
        INSERT INTO journal_entries (id, kind, reference_id, currency, description, created_at)
        VALUES (p_entry_id, 'transfer', p_id, p_currency, p_description, p_now);
        UPDATE accounts SET balance_minor = balance_minor - p_amount, updated_at = p_now WHERE id = p_from RETURNING balance_minor INTO from_after;
        UPDATE accounts SET balance_minor = balance_minor + p_amount, updated_at = p_now WHERE id = p_to RETURNING balance_minor INTO to_after;
        INSERT INTO postings (id, entry_id, account_id, amount_minor, balance_after_minor, created_at)
        VALUES (p_posting_from, p_entry_id, p_from, -p_amount, from_after, p_now),
               (p_posting_to, p_entry_id, p_to, p_amount, to_after, p_now);
        INSERT INTO audit_events (at, actor_id, user_id, event, entity_type, entity_id, data)
        VALUES (p_now, p_user, p_user, p_ok_event, 'transfer', p_id, p_ok_data);
        answer_status := 201; answer_type := 'application/json'; answer_body := p_ok_body;
    END IF;

    IF p_key IS NOT NULL THEN
        INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_status, response_body, content_type, locked_at, created_at, completed_at)
        VALUES (p_user, p_key, p_hash, 'done', answer_status, answer_body, answer_type, p_now, p_now, p_now);
    END IF;
    RETURN QUERY SELECT CASE WHEN answer_status = 201 THEN 'done' ELSE 'refused' END, answer_status, answer_body, answer_type;
END;
$fn$;
