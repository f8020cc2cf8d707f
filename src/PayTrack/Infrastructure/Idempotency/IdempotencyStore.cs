using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Json;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.Extensions.Options;
using PayTrack.Data;

namespace PayTrack.Infrastructure.Idempotency;

/// <summary>What claiming an idempotency key found.</summary>
public abstract record ClaimResult
{
    /// <summary>This request owns the key; <see cref="LockedAt"/> fences it against a later takeover.</summary>
    public sealed record Claimed(Guid UserId, string Key, DateTime LockedAt) : ClaimResult;
    public sealed record Replay(int Status, string Body, string ContentType) : ClaimResult;
    public sealed record KeyReused : ClaimResult;
    public sealed record InFlight : ClaimResult;
}

/// <summary>An Idempotency-Key the handler checks and completes inside its own transaction (<see cref="IdempotencyStore.CheckInTransactionAsync"/>).</summary>
public sealed record DeferredKey(Guid UserId, string Key, string RequestHash);

/// <summary>
/// Keys whose request is running in this process right now: a duplicate arriving meanwhile gets 409
/// at once, without touching the database. Across instances, PostgreSQL's advisory lock on the key
/// does the same (<see cref="IdempotencyStore.CheckInTransactionAsync"/>).
/// </summary>
public sealed class IdempotencyInFlight
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, string), byte> _running = new();

    public bool TryEnter(DeferredKey key) => _running.TryAdd((key.UserId, key.Key), 0);
    public void Leave(DeferredKey key) => _running.TryRemove((key.UserId, key.Key), out _);
}

/// <summary>
/// Stores idempotency keys per user. A request claims its key in a short transaction of its own; the
/// money-moving handler then writes its response into the key's row inside the same transaction as
/// its effect (<see cref="CompleteAsync"/>), so a crash after commit replays instead of paying twice.
/// See docs/decisions/0005-ledger-design.md.
/// </summary>
public sealed class IdempotencyStore(PayTrackDb db, Sql sql, TimeProvider clock, IOptions<JsonOptions> json)
{
    /// <summary>A claim older than this whose request never finished (a crash) may be taken over.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    public ClaimResult.Claimed? Current { get; private set; }
    public bool Completed { get; private set; }

    /// <summary>Set by the filter on endpoints that check the key inside their own transaction.</summary>
    public DeferredKey? Deferred { get; set; }

    public static string Hash(string method, string path, IEnumerable<object?> parts, JsonOptions options)
    {
        var sb = new StringBuilder().Append(method).Append(' ').Append(path);
        foreach (var part in parts) sb.Append('\n').Append(System.Text.Json.JsonSerializer.Serialize(part, part?.GetType() ?? typeof(object), options.SerializerOptions));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public async Task<ClaimResult> ClaimAsync(Guid userId, string key, string requestHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var inserted = await sql.WriteAsync(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, status, locked_at, created_at) VALUES (@p0, @p1, @p2, 'in_flight', @p3, @p3) ON CONFLICT (user_id, key) DO NOTHING",
            [userId, key, requestHash, now], ct);
        if (inserted == 1) return Current = new ClaimResult.Claimed(userId, key, now);

        var (found, staleSince) = await FindAsync(userId, key, requestHash, now, ct);
        if (found is not null) return found;
        if (staleSince is not { } lockedAt) return await ClaimAsync(userId, key, requestHash, ct); // released meanwhile

        // The first attempt died without committing anything: take the key over, fenced by locked_at.
        var taken = await sql.WriteAsync(
            "UPDATE idempotency_keys SET locked_at = @p2 WHERE user_id = @p0 AND key = @p1 AND status = 'in_flight' AND locked_at = @p3",
            [userId, key, now, lockedAt], ct);
        return taken == 1 ? Current = new ClaimResult.Claimed(userId, key, now) : new ClaimResult.InFlight();
    }

    /// <summary>
    /// Inside the caller's transaction, before any effect: null when the request may go ahead (it must
    /// then <see cref="AddDone"/> in the same transaction), else what to answer instead. On PostgreSQL
    /// a transaction-scoped advisory lock on the key makes a concurrent duplicate answer 409 without
    /// waiting; on SQLite the write gate already runs one transaction at a time.
    /// </summary>
    public async Task<ClaimResult?> CheckInTransactionAsync(DeferredKey k, CancellationToken ct)
    {
        if (!sql.IsSqlite)
        {
            var locked = await sql.QueryAsync("SELECT pg_try_advisory_xact_lock(hashtextextended(CAST(@p0 AS text) || '/' || @p1, 7))",
                [k.UserId, k.Key], r => r.GetBoolean(0), ct);
            if (!locked[0]) return new ClaimResult.InFlight();
        }
        var (found, staleSince) = await FindAsync(k.UserId, k.Key, k.RequestHash, clock.GetUtcNow().UtcDateTime, ct);
        if (found is not null || staleSince is null) return found;
        // A two-phase claim whose request died without committing anything: this request takes its place.
        await sql.ExecAsync("DELETE FROM idempotency_keys WHERE user_id = @p0 AND key = @p1 AND status = 'in_flight'", [k.UserId, k.Key], ct);
        return null;
    }

    /// <summary>
    /// What an existing key's row means for a request with <paramref name="requestHash"/>: an answer
    /// (replay, reused, in flight), or — when the row is a claim older than <see cref="StaleAfter"/> —
    /// its <c>locked_at</c>, to take it over. Both null: no row.
    /// </summary>
    private async Task<(ClaimResult? Answer, DateTime? StaleSince)> FindAsync(Guid userId, string key, string requestHash, DateTime now, CancellationToken ct)
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
    /// reused, in flight), or — for a claim older than <see cref="StaleAfter"/> — its <c>locked_at</c>, to take it over.
    /// </summary>
    public static (ClaimResult? Answer, DateTime? StaleSince) Judge(StoredKey row, string requestHash, DateTime now)
    {
        if (row.RequestHash != requestHash) return (new ClaimResult.KeyReused(), null);
        if (row.Status == "done") return (new ClaimResult.Replay(row.ResponseStatus, row.Body ?? "", row.ContentType ?? "application/json"), null);
        if (now - row.LockedAt < StaleAfter) return (new ClaimResult.InFlight(), null);
        return (null, row.LockedAt);
    }

    /// <summary>Adds the finished key with its response to the statements of the effect's transaction.</summary>
    public void AddDone(StatementBatch batch, DeferredKey k, int status, string body, string contentType, DateTime now)
    {
        batch.Add("INSERT INTO idempotency_keys (user_id, key, request_hash, status, response_status, response_body, content_type, locked_at, created_at, completed_at) " +
            "VALUES ({0}, {1}, {2}, 'done', {3}, {4}, {5}, {6}, {6}, {6})", k.UserId, k.Key, k.RequestHash, status, body, contentType, now);
        Completed = true;
    }

    /// <summary>The JSON text and content type this store writes for a response body.</summary>
    public (string Text, string Type) ToStored(object? body) => Serialize(body);

    /// <summary>Records the response for the current claim inside the caller's open transaction.</summary>
    public async Task CompleteAsync(int status, object? body, CancellationToken ct)
    {
        if (Current is not { } claim) return;
        var (text, type) = Serialize(body);
        var updated = await sql.ExecAsync(
            "UPDATE idempotency_keys SET status = 'done', response_status = @p2, response_body = @p3, content_type = @p4, completed_at = @p5 WHERE user_id = @p0 AND key = @p1 AND status = 'in_flight' AND locked_at = @p6",
            [claim.UserId, claim.Key, status, text, type, clock.GetUtcNow().UtcDateTime, claim.LockedAt], ct);
        if (updated != 1)
            throw new Domain.DomainException("idempotency-key-in-flight", "Another request took over this Idempotency-Key.", 409);
        Completed = true;
    }

    /// <summary>Forgets an unfinished claim (validation refused the request, or it failed), so the key can be used again.</summary>
    public async Task ReleaseAsync()
    {
        if (Current is not { } claim || Completed) return;
        db.ChangeTracker.Clear();
        await sql.WriteAsync("DELETE FROM idempotency_keys WHERE user_id = @p0 AND key = @p1 AND status = 'in_flight' AND locked_at = @p2",
            [claim.UserId, claim.Key, claim.LockedAt], CancellationToken.None);
    }

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
