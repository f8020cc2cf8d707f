using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Json;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.Extensions.Options;
using PayTrack.Data;

namespace PayTrack.Infrastructure.Idempotency;

/// <summary>What an Idempotency-Key already stands for, when it is not free: the answer to replay, a reuse with another request, or a request still running.</summary>
public abstract record KeyUsed
{
    public sealed record Replay(int Status, string Body, string ContentType) : KeyUsed;
    public sealed record KeyReused : KeyUsed;
    public sealed record InFlight : KeyUsed;
}

/// <summary>The Idempotency-Key of the request being served: who sent it, the key, and the request's fingerprint.</summary>
public sealed record RequestKey(Guid UserId, string Key, string RequestHash);

/// <summary>
/// Keys whose request is running in this process right now: a duplicate arriving meanwhile gets 409
/// at once, without touching the database. Across instances, PostgreSQL's advisory lock on the key
/// does the same (<see cref="IdempotencyStore.CheckInTransactionAsync"/>).
/// </summary>
public sealed class IdempotencyInFlight
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, string), byte> _running = new();

    public bool TryEnter(RequestKey key) => _running.TryAdd((key.UserId, key.Key), 0);
    public void Leave(RequestKey key) => _running.TryRemove((key.UserId, key.Key), out _);
}

/// <summary>
/// Stores idempotency keys per user, each with the answer it was first given. There is no claim row:
/// a key's row is written, with its answer, inside the transaction of the request's effect (by
/// <see cref="IdempotencyGate"/> around the handler, or by a handler that owns its transaction), so
/// the key exists exactly when the effect does and a crash can never leave one without the other.
/// See docs/decisions/0032-idempotency.md.
/// </summary>
public sealed class IdempotencyStore(Sql sql, TimeProvider clock, IOptions<JsonOptions> json)
{
    /// <summary>An <c>in_flight</c> row (written by versions before ADR 0032) older than this belongs to a request that died; it is replaced.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    /// <summary>The key of the request being served (set by <see cref="IdempotencyGate"/>); null without one.</summary>
    public RequestKey? Key { get; set; }

    /// <summary>True once this request's answer has been stored with its key.</summary>
    public bool Completed { get; private set; }

    /// <summary>True when a check inside a transaction found the key used (the request was answered from it, nothing ran).</summary>
    public bool AnsweredFromKey { get; private set; }

    public static string Hash(string method, string path, IEnumerable<object?> parts, JsonOptions options)
    {
        var sb = new StringBuilder().Append(method).Append(' ').Append(path);
        foreach (var part in parts) sb.Append('\n').Append(System.Text.Json.JsonSerializer.Serialize(part, part?.GetType() ?? typeof(object), options.SerializerOptions));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Outside any transaction, before the handler runs: what to answer when the key was used already (a replay is served without running anything).</summary>
    public async Task<KeyUsed?> FindAsync(RequestKey k, CancellationToken ct) =>
        (await FindAsync(k.UserId, k.Key, k.RequestHash, clock.GetUtcNow().UtcDateTime, ct)).Answer;

    /// <summary>
    /// Inside the effect's transaction, before any effect: null when the request may go ahead (it must
    /// then store its answer in the same transaction: <see cref="AddDone"/> or <see cref="DoneAsync"/>),
    /// else what to answer instead. On PostgreSQL a transaction-scoped advisory lock on the key makes a
    /// concurrent duplicate on another instance answer 409 without waiting; on SQLite the write gate
    /// already runs one transaction at a time.
    /// </summary>
    public async Task<KeyUsed?> CheckInTransactionAsync(RequestKey k, CancellationToken ct)
    {
        if (!sql.IsSqlite)
        {
            var locked = await sql.QueryAsync("SELECT pg_try_advisory_xact_lock(hashtextextended(CAST(@p0 AS text) || '/' || @p1, 7))",
                [k.UserId, k.Key], r => r.GetBoolean(0), ct);
            if (!locked[0])
            {
                AnsweredFromKey = true;
                return new KeyUsed.InFlight();
            }
        }
        var (found, staleSince) = await FindAsync(k.UserId, k.Key, k.RequestHash, clock.GetUtcNow().UtcDateTime, ct);
        AnsweredFromKey = found is not null;
        if (found is not null || staleSince is null) return found;
        // A claim row left by an older version whose request died without committing anything: this request takes its place.
        await sql.ExecAsync("DELETE FROM idempotency_keys WHERE user_id = @p0 AND key = @p1 AND status = 'in_flight'", [k.UserId, k.Key], ct);
        return null;
    }

    private async Task<(KeyUsed? Answer, DateTime? StaleSince)> FindAsync(Guid userId, string key, string requestHash, DateTime now, CancellationToken ct)
    {
        var rows = await sql.QueryAsync(
            "SELECT request_hash, status, response_status, response_body, content_type, locked_at FROM idempotency_keys WHERE user_id = @p0 AND key = @p1",
            [userId, key],
            r => new StoredKey(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? 0 : Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                  Sql.ReadStringOrNull(r, 3), Sql.ReadStringOrNull(r, 4), Sql.ReadDate(r, 5)), ct);
        return rows.Count == 0 ? (null, null) : Judge(rows[0], requestHash, now);
    }

    /// <summary>An existing key's row, as read from <c>idempotency_keys</c>.</summary>
    public sealed record StoredKey(string RequestHash, string Status, int ResponseStatus, string? Body, string? ContentType, DateTime LockedAt);

    /// <summary>
    /// The one judgement of an existing key for a request with <paramref name="requestHash"/>: an answer (replay,
    /// reused, in flight), or — for an old version's claim older than <see cref="StaleAfter"/> — its <c>locked_at</c>, to replace it.
    /// </summary>
    public static (KeyUsed? Answer, DateTime? StaleSince) Judge(StoredKey row, string requestHash, DateTime now)
    {
        if (row.RequestHash != requestHash) return (new KeyUsed.KeyReused(), null);
        if (row.Status == "done") return (new KeyUsed.Replay(row.ResponseStatus, row.Body ?? "", row.ContentType ?? "application/json"), null);
        if (now - row.LockedAt < StaleAfter) return (new KeyUsed.InFlight(), null);
        return (null, row.LockedAt);
    }

    /// <summary>Adds the finished key with its response to the statements of the effect's transaction.</summary>
    public void AddDone(StatementBatch batch, RequestKey k, int status, string body, string contentType, DateTime now)
    {
        batch.Add("INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_status, response_body, content_type, locked_at, created_at, completed_at) " +
            "VALUES ({0}, {1}, {2}, 'done', {3}, {4}, {5}, {6}, {6}, {6})", k.UserId, k.Key, k.RequestHash, status, body, contentType, now);
        Completed = true;
    }

    /// <summary>Stores the current request's answer with its key inside the caller's open transaction (after <see cref="CheckInTransactionAsync"/>).</summary>
    public async Task DoneAsync(int status, object? value, CancellationToken ct)
    {
        if (Key is not { } k) return;
        var (text, type) = Serialize(value);
        var batch = new StatementBatch(sql);
        AddDone(batch, k, status, text, type, clock.GetUtcNow().UtcDateTime);
        await batch.ExecuteAsync(ct);
    }

    /// <summary>
    /// Replaces the stored answer of the current request's key (a deposit stored with its payment as
    /// pending, then answered with what the provider said). Until then a replay gets the first, still
    /// true, answer.
    /// </summary>
    public async Task ReviseAsync(int status, object? value, CancellationToken ct)
    {
        if (Key is not { } k || !Completed) return;
        var (text, type) = Serialize(value);
        await sql.WriteAsync("UPDATE idempotency_keys SET response_status = @p2, response_body = @p3, content_type = @p4 WHERE user_id = @p0 AND key = @p1 AND status = 'done'",
            [k.UserId, k.Key, status, text, type], ct);
    }

    /// <summary>The JSON text and content type this store writes for a response body.</summary>
    public (string Text, string Type) ToStored(object? body) => Serialize(body);

    private (string Text, string Type) Serialize(object? body)
    {
        if (body is ProblemDetails problem)
        {
            problem.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.TraceId.ToString());
            // The same default type ASP.NET Core gives a problem written directly.
            problem.Type ??= problem.Status switch
            {
                400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
                404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
                422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
                _ => null,
            };
            return (System.Text.Json.JsonSerializer.Serialize(problem, json.Value.SerializerOptions), "application/problem+json");
        }
        return (System.Text.Json.JsonSerializer.Serialize(body, body?.GetType() ?? typeof(object), json.Value.SerializerOptions), "application/json");
    }
}
