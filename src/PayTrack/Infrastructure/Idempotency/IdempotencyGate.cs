using PayTrack.Data;

namespace PayTrack.Infrastructure.Idempotency;

/// <summary>
/// The one idempotency mechanism, for API requests with an <c>Idempotency-Key</c> and for the web UI's
/// money forms alike. A duplicate of a request running in this process is refused at once (409); a key
/// already used is answered from its row (replay, or 422 when the request differs) without running
/// anything. Otherwise the handler runs once and its answer is stored with the key <em>in the
/// transaction of its effect</em>:
/// <list type="bullet">
/// <item>by default the gate opens that transaction around the handler (the handler's own
/// transactions join it), checks the key inside it, and stores a success with it; a refusal rolls the
/// handler's transaction back (a refusal changes nothing) and is stored on its own;</item>
/// <item>a handler that owns its transactions (single transfers, deposits and withdrawals, imports,
/// rule runs) checks and stores the key itself inside the transaction of its effect
/// (<see cref="IdempotencyStore.CheckInTransactionAsync"/>, <see cref="IdempotencyStore.DoneAsync"/>); if
/// it stored nothing, the gate stores the answer after it, in a short transaction of its own.</item>
/// </list>
/// 400 answers (a malformed request; fix it and retry with the same key) and 5xx are never stored.
/// See docs/decisions/0032-idempotency.md.
/// </summary>
public static class IdempotencyGate
{
    /// <summary>
    /// Runs <paramref name="handler"/> once for <paramref name="key"/>. With <paramref name="handlerOwnsTransaction"/>
    /// the handler stores its answer inside its own transaction; with <paramref name="handlerChecksKey"/> it also
    /// answers a used key itself (single transfers: the hot path saves the gate's first look, a round trip).
    /// </summary>
    public static async Task<object?> RunAsync(HttpContext http, RequestKey key, bool handlerOwnsTransaction, Func<Task<object?>> handler, bool handlerChecksKey = false)
    {
        var services = http.RequestServices;
        var store = services.GetRequiredService<IdempotencyStore>();
        var running = services.GetRequiredService<IdempotencyInFlight>();
        var ct = http.RequestAborted;
        store.Key = key;
        if (!running.TryEnter(key)) return IdempotencyFilter.Answer(new KeyUsed.InFlight());
        try
        {
            if (!handlerChecksKey && await store.FindAsync(key, ct) is { } used) return IdempotencyFilter.Answer(used);

            if (handlerOwnsTransaction)
            {
                var result = await handler();
                // A handler that checks the key itself also stores every answer it gives (or answers from the key).
                if (handlerChecksKey) return result;
                if (!store.Completed && !store.AnsweredFromKey && Unwrap(result) is var (status, value) && IsRemembered(status))
                    await RememberAsync(services, store, key, status, value, ct);
                return result;
            }

            var db = services.GetRequiredService<PayTrackDb>();
            try
            {
                return await Sql.InTransactionAsync(db, async c =>
                {
                    if (await store.CheckInTransactionAsync(key, c) is { } found) return IdempotencyFilter.Answer(found);
                    var result = await handler();
                    var (status, value) = Unwrap(result);
                    if (status is < 200 or >= 300) throw new Refused(result, status, value);
                    await store.DoneAsync(status, value, c);
                    return result;
                }, ct);
            }
            catch (Refused refused)
            {
                db.ChangeTracker.Clear();
                if (IsRemembered(refused.Status)) await RememberAsync(services, store, key, refused.Status, refused.Value, ct);
                return refused.Result;
            }
        }
        finally { running.Leave(key); }
    }

    /// <summary>Stores an answer given outside any transaction of the gate, in a short transaction of its own.</summary>
    private static Task RememberAsync(IServiceProvider services, IdempotencyStore store, RequestKey key, int status, object? value, CancellationToken ct) =>
        Sql.InTransactionAsync(services.GetRequiredService<PayTrackDb>(), async c =>
        {
            if (await store.CheckInTransactionAsync(key, c) is null) await store.DoneAsync(status, value, c);
            return 0;
        }, ct);

    private static bool IsRemembered(int status) => status != StatusCodes.Status400BadRequest && status < 500;

    /// <summary>The status and value of a handler's result (typed results nest: <c>Results&lt;A, B&gt;</c>).</summary>
    public static (int Status, object? Value) Unwrap(object? result)
    {
        var r = result;
        while (r is INestedHttpResult nested) r = nested.Result;
        var status = (r as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        return (status, (r as IValueHttpResult)?.Value);
    }

    /// <summary>Carries a refusal out of the transaction, rolling back whatever the handler wrote before refusing.</summary>
    private sealed class Refused(object? result, int status, object? value) : Exception("The request was refused.")
    {
        public object? Result { get; } = result;
        public int Status { get; } = status;
        public object? Value { get; } = value;
    }
}
