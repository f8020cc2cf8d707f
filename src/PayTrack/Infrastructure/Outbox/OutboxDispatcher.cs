using System.Globalization;
using PayTrack.Data;

namespace PayTrack.Infrastructure.Outbox;

/// <summary>Outbox delivery settings (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    /// <summary>How often due messages are looked for.</summary>
    public int PollIntervalMs { get; set; } = 200;
    /// <summary>Messages claimed at a time (a round); handlers that take batches write a round's effects in one transaction.</summary>
    public int BatchSize { get; set; } = 200;
    /// <summary>How long a claim lasts: a message claimed by an instance that died is delivered by another after this.</summary>
    public int LeaseSeconds { get; set; } = 60;
    /// <summary>Attempts before a message is <c>dead</c>.</summary>
    public int MaxAttempts { get; set; } = 10;
    /// <summary>The first retry's delay; each further one doubles it (with jitter), up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public int RetryBaseMs { get; set; } = 5_000;
    public int MaxRetryDelaySeconds { get; set; } = 3_600;
    /// <summary>Delivery loops in this instance, each claiming its own rounds (claims never overlap: a lease and, on PostgreSQL, SKIP LOCKED).</summary>
    public int Workers { get; set; } = 2;
    /// <summary>
    /// Delivery loops for handlers that wait on slow servers (<see cref="IOutboxOwnLane"/>: webhook retries), apart from
    /// <see cref="Workers"/>. Each round of theirs serves one webhook, so this many receivers that never answer can
    /// hold them all at once (each for one timeout a round). They look for due retries every fifth
    /// <see cref="PollIntervalMs"/>.
    /// </summary>
    public int OwnLaneWorkers { get; set; } = 4;
    /// <summary>How often the backlog on <c>/metrics</c> (waiting, oldest, dead) is counted again.</summary>
    public int MetricsIntervalMs { get; set; } = 5_000;
    /// <summary>How long delivered messages are kept (for <c>GET /admin/outbox?status=done</c> and diagnosis) before they are deleted.</summary>
    public int KeepDeliveredHours { get; set; } = 168;
    /// <summary>How often delivered messages older than <see cref="KeepDeliveredHours"/> are deleted.</summary>
    public int SweepIntervalMinutes { get; set; } = 10;
    /// <summary>Off: no delivery from this instance (messages wait for another one, or for a restart).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Delivers outbox messages after their transaction committed. Each round claims a batch of due rows in
/// one short transaction (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so several instances never claim
/// the same row; SQLite: behind the write gate), stamping each with a lease and a token. Each message
/// is then handed to its handler outside any transaction; the outcome (done, retry later with backoff,
/// or dead after the last attempt) is written only while the claim is still this instance's. A crash
/// after the claim leaves the row to be claimed again when the lease ends, so delivery is at least once
/// and handlers are idempotent by message id (ADR 0031).
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, IEnumerable<IOutboxHandler> handlers, OutboxOptions options, TimeProvider clock, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private readonly Dictionary<string, IOutboxHandler> _handlers = handlers.ToDictionary(h => h.Name, StringComparer.Ordinal);

    /// <summary>Which messages a loop claims: every message but the own lane's, only the own lane's, or all (tests, a single loop).</summary>
    public enum Lane { All, Main, Own }

    private readonly string OwnLaneNames = SqlNames(handlers, h => h is IOutboxOwnLane);

    // What marking a message done writes: its data emptied when its handler forgets what it delivered (IOutboxForgetsDelivered).
    private readonly string DoneSet = "status = 'done', delivered_at = @p0, locked_until = NULL, last_error = NULL" +
        (SqlNames(handlers, h => h is IOutboxForgetsDelivered) is { Length: > 0 } forget ? $", data = CASE WHEN handler IN ({forget}) THEN '{{}}' ELSE data END" : "");

    /// <summary>The names of the handlers that match, as a SQL list of literals (names are code constants, [a-z-]); empty when none match.</summary>
    private static string SqlNames(IEnumerable<IOutboxHandler> handlers, Func<IOutboxHandler, bool> which) =>
        string.Join(", ", handlers.Where(which).Select(h => "'" + h.Name.Replace("'", "''", StringComparison.Ordinal) + "'"));

    /// <summary>Whether attempt <paramref name="attempts"/> was the handler's last (its own policy, else <c>Outbox:MaxAttempts</c>); no handler: nothing to wait for.</summary>
    private bool IsLastAttempt(IOutboxHandler? handler, int attempts) =>
        handler is null || attempts >= ((handler as IOutboxRetryPolicy)?.MaxAttempts ?? options.MaxAttempts);

    /// <summary>When a message that failed attempt <paramref name="attempts"/> is due again (the handler's policy, else <see cref="RetryDelay"/>).</summary>
    private DateTime NextAttemptAt(IOutboxHandler? handler, int attempts, DateTime now) =>
        now + ((handler as IOutboxRetryPolicy)?.RetryDelay(attempts) ?? RetryDelay(attempts));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled || _handlers.Count == 0) return;
        var own = OwnLaneNames.Length > 0 && options.OwnLaneWorkers > 0;
        var loops = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(worker => Task.Run(() => LoopAsync(worker, own ? Lane.Main : Lane.All, stoppingToken), stoppingToken));
        if (own) loops = loops.Concat(Enumerable.Range(0, options.OwnLaneWorkers).Select(worker => Task.Run(() => LoopAsync(-1 - worker, Lane.Own, stoppingToken), stoppingToken)));
        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(int worker, Lane lane, CancellationToken stoppingToken)
    {
        // Retries (the own lane) are due seconds apart at the least: those loops look less often.
        var interval = TimeSpan.FromMilliseconds(options.PollIntervalMs * (lane == Lane.Own ? 5 : 1));
        var counted = DateTime.MinValue;
        var swept = DateTime.UtcNow; // the first sweep waits one interval: a starting instance has other things to do
        while (!stoppingToken.IsCancellationRequested)
        {
            if (worker == 0 && (DateTime.UtcNow - counted).TotalMilliseconds >= options.MetricsIntervalMs)
            {
                counted = DateTime.UtcNow;
                try { await CountBacklogAsync(stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
                catch (Exception ex) { logger.LogWarning(ex, "Counting the outbox backlog failed; will retry"); }
            }
            if (worker == 0 && (DateTime.UtcNow - swept).TotalMinutes >= options.SweepIntervalMinutes)
            {
                swept = DateTime.UtcNow;
                try { await SweepDeliveredAsync(stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
                catch (Exception ex) { logger.LogWarning(ex, "Deleting old delivered outbox messages failed; will retry"); }
            }
            var delivered = 0;
            try { delivered = await DeliverDueAsync(stoppingToken, lane); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Outbox delivery round failed; will retry"); }
            if (delivered >= options.BatchSize) continue; // more may be due: no pause
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Claims and delivers one batch of due messages; answers how many were claimed.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct, Lane lane = Lane.All)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var sql = scope.ServiceProvider.GetRequiredService<Sql>();
        var token = Guid.NewGuid();
        var laneFilter = lane == Lane.All || OwnLaneNames.Length == 0 ? ""
            : lane == Lane.Own ? $" AND handler IN ({OwnLaneNames})" : $" AND handler NOT IN ({OwnLaneNames})";
        var claimed = await Sql.InTransactionAsync(db, c => ClaimAsync(sql, token, lane, laneFilter, c), ct);
        if (claimed.Count == 0) return 0;
        var claimedCount = claimed.Count;
        // An event for every handler that takes its type goes to each of them; a row for one handler to that one.
        var work = new List<(OutboxMessage Message, string Handler)>();
        foreach (var m in claimed)
        {
            if (m.Handler != OutboxMessage.EveryHandler) { work.Add((m, m.Handler)); continue; }
            foreach (var h in _handlers.Values)
                if (h.Handles(m.Type)) work.Add((m, h.Name));
        }
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<(Guid, string), string?>();
        var round = new OutboxRound(token, claimed[0].LockedUntil ?? clock.GetUtcNow().UtcDateTime.AddSeconds(options.LeaseSeconds));
        OutboxRound.Enter(round);
        try
        {
            // Each handler gets its messages of this round in claim order, the handlers side by side (an e-mail
            // server and a webhook receiver do not wait for each other); one that takes batches gets them at once
            // (one transaction for many instead of one each), the others one by one.
            // Follow-ups a handler wrote claimed by this round (a round's e-mails) go out as soon as that handler is
            // through, beside the handlers still at work, not a round later.
            var followUps = new System.Collections.Concurrent.ConcurrentQueue<OutboxMessage>();
            await Task.WhenAll(work.GroupBy(w => w.Handler, StringComparer.Ordinal).Select(async group =>
            {
                await DeliverGroupAsync(group.Key, group.Select(w => w.Message).ToList(), errors, ct);
                var produced = round.TakeFollowUps();
                foreach (var m in produced) followUps.Enqueue(m);
                await Task.WhenAll(produced.GroupBy(m => m.Handler, StringComparer.Ordinal)
                    .Select(g => DeliverGroupAsync(g.Key, g.ToList(), errors, ct)));
            }));
            claimed.AddRange(followUps);
            work.AddRange(followUps.Select(m => (m, m.Handler)));
        }
        finally { OutboxRound.Enter(null); }
        // Messages a handler gave back unattempted go back to the queue as they were; an event for every handler
        // cannot be half given back, so for one of those a deferral counts as a failure of that handler.
        var deferred = new Dictionary<Guid, DateTime>();
        foreach (var (m, h) in work)
        {
            if (!round.Deferred.TryGetValue(m.Id, out var dueAt)) continue;
            if (m.Handler != OutboxMessage.EveryHandler) deferred[m.Id] = dueAt;
            else if (errors[(m.Id, h)] is null) errors[(m.Id, h)] = "deferred";
        }
        if (deferred.Count > 0)
        {
            await Sql.InTransactionAsync(db, c => ReleaseAsync(sql, deferred, token, c), ct);
            claimed.RemoveAll(m => deferred.ContainsKey(m.Id));
            work.RemoveAll(w => deferred.ContainsKey(w.Message.Id));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (m, h) in work.Where(w => errors[(w.Message.Id, w.Handler)] is null)) OutboxMetrics.Delivered(h, m.CreatedAt, now);
        var failures = work.Where(w => errors[(w.Message.Id, w.Handler)] is not null).ToLookup(w => w.Message.Id);
        // Every message all of whose handlers succeeded is marked done in one transaction; each failure on its own.
        var done = claimed.Where(m => !failures.Contains(m.Id)).Select(m => m.Id).ToList();
        if (done.Count > 0) await Sql.InTransactionAsync(db, c => FinishDoneAsync(sql, done, token, c), ct);
        foreach (var message in claimed.Where(m => failures.Contains(m.Id)))
        {
            if (message.Handler != OutboxMessage.EveryHandler)
            {
                _handlers.TryGetValue(message.Handler, out var handler);
                var error = errors[(message.Id, message.Handler)];
                await Sql.InTransactionAsync(db, c => FinishAsync(sql, message, token, error, handler, c), ct);
                OutboxMetrics.Failed(message.Handler, dead: IsLastAttempt(handler, message.Attempts));
                continue;
            }
            var failed = failures[message.Id].Select(w => (w.Handler, Error: errors[(message.Id, w.Handler)]!)).ToList();
            await Sql.InTransactionAsync(db, c => SplitAsync(sql, message, token, failed, c), ct);
            foreach (var (h, _) in failed)
                OutboxMetrics.Failed(h, dead: IsLastAttempt(_handlers[h], message.Attempts));
        }
        return claimedCount;
    }

    /// <summary>
    /// An event for every handler, some of which failed: each failed handler gets a row of its own (retried, or dead
    /// after its last attempt, like any other), and the event is done for the others. The rows' ids derive from the
    /// event's, so a split repeated after a crash writes nothing twice; they keep the event's commit time.
    /// </summary>
    private async Task<int> SplitAsync(Sql sql, OutboxMessage m, Guid token, List<(string Handler, string Error)> failed, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var finished = await FinishDoneAsync(sql, [m.Id], token, ct);
        if (finished == 0) return 0; // the claim was lost (lease over): whoever holds it now decides
        foreach (var (name, error) in failed)
        {
            var handler = _handlers[name];
            var dead = IsLastAttempt(handler, m.Attempts);
            if (dead) logger.LogError("Outbox message {MessageId} ({Type} for {Handler}) is dead after {Attempts} attempt(s): {Error}", m.Id, m.Type, name, m.Attempts, error);
            await sql.ExecAsync(
                "INSERT INTO outbox_messages (id, handler, type, user_id, entity_type, entity_id, data, created_at, status, attempts, next_attempt_at, last_error, event_id) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12) ON CONFLICT (id) DO NOTHING",
                [OutboxFollowUps.DerivedId(m.Id, "handler|" + name), name, m.Type, m.UserId, m.EntityType, m.EntityId, m.Data, m.CreatedAt,
                 dead ? OutboxStatus.Dead : OutboxStatus.Pending, m.Attempts, NextAttemptAt(handler, m.Attempts, now), Truncate(error, 2000), m.Id], ct);
        }
        return finished;
    }

    /// <summary>Counts waiting and dead messages and finds the oldest waiting one, for <see cref="OutboxMetrics"/> (both through partial indexes).</summary>
    public async Task CountBacklogAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sql = scope.ServiceProvider.GetRequiredService<Sql>();
        var rows = await sql.QueryAsync(
            "SELECT (SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending'), (SELECT COUNT(*) FROM outbox_messages WHERE status = 'dead'), " +
            "(SELECT MIN(created_at) FROM outbox_messages WHERE status = 'pending')", [],
            r => (Pending: Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), Dead: Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture),
                  Oldest: r.IsDBNull(2) ? (DateTime?)null : Sql.ReadDate(r, 2)), ct);
        OutboxMetrics.Snapshot(rows[0].Pending, rows[0].Dead, rows[0].Oldest, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// Deletes delivered messages older than <see cref="OutboxOptions.KeepDeliveredHours"/>, in chunks (each its own
    /// short transaction). Ids are time-ordered (version 7, and follow-ups keep their parent's time prefix), so
    /// "older than" is a range of the primary key: no index on the delivery time is needed, and no full scan.
    /// Waiting and dead messages are never deleted. Answers how many were deleted.
    /// </summary>
    public async Task<int> SweepDeliveredAsync(CancellationToken ct)
    {
        var cutoff = TimePrefixedId(clock.GetUtcNow().AddHours(-options.KeepDeliveredHours));
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
            var sql = scope.ServiceProvider.GetRequiredService<Sql>();
            var deleted = await Sql.InTransactionAsync(db, c => sql.ExecAsync(
                "DELETE FROM outbox_messages WHERE id IN (SELECT id FROM outbox_messages WHERE id < @p0 AND status = 'done' LIMIT 5000)", [cutoff], c), ct);
            total += deleted;
            if (deleted < 5000) return total;
        }
    }

    /// <summary>The smallest version-7 id of moment <paramref name="at"/>: every id made before it sorts below it.</summary>
    public static Guid TimePrefixedId(DateTimeOffset at)
    {
        var bytes = new byte[16];
        var ms = Math.Max(0, at.ToUnixTimeMilliseconds());
        for (var i = 5; i >= 0; i--) { bytes[i] = (byte)(ms & 0xFF); ms >>= 8; }
        return new Guid(bytes, bigEndian: true);
    }

    private async Task<List<OutboxMessage>> ClaimAsync(Sql sql, Guid token, Lane lane, string laneFilter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var skipLocked = sql.IsSqlite ? "" : " FOR UPDATE SKIP LOCKED";
        const string due = "status = 'pending' AND next_attempt_at <= @p2 AND (locked_until IS NULL OR locked_until < @p2)";
        // The own lane's rounds take one entity each (the first due one's): one round, one slow server.
        var oneEntity = lane == Lane.Own
            ? $" AND entity_id = (SELECT entity_id FROM outbox_messages WHERE {due}{laneFilter} ORDER BY next_attempt_at, id LIMIT 1{skipLocked})"
            : "";
        return await sql.QueryAsync(
            "UPDATE outbox_messages SET locked_until = @p0, lock_token = @p1, attempts = attempts + 1 " +
            $"WHERE id IN (SELECT id FROM outbox_messages WHERE {due}{laneFilter}{oneEntity} " +
            $"ORDER BY next_attempt_at, id LIMIT @p3{skipLocked}) " +
            "RETURNING id, handler, type, user_id, entity_type, entity_id, data, created_at, attempts, event_id",
            [now.AddSeconds(options.LeaseSeconds), token, now, options.BatchSize],
            r => new OutboxMessage
            {
                Id = Sql.ReadGuid(r, 0), Handler = r.GetString(1), Type = r.GetString(2), UserId = Sql.ReadGuidOrNull(r, 3),
                EntityType = r.GetString(4), EntityId = Sql.ReadGuid(r, 5), Data = r.GetString(6), CreatedAt = Sql.ReadDate(r, 7),
                Attempts = Convert.ToInt32(r.GetValue(8), CultureInfo.InvariantCulture), Status = OutboxStatus.Pending, LockToken = token, LockedUntil = now.AddSeconds(options.LeaseSeconds),
                EventId = Sql.ReadGuidOrNull(r, 9),
            }, ct);
    }

    private async Task DeliverGroupAsync(string name, List<OutboxMessage> messages, System.Collections.Concurrent.ConcurrentDictionary<(Guid, string), string?> errors, CancellationToken ct)
    {
        await Task.Yield();
        if (!_handlers.TryGetValue(name, out var handler))
        {
            foreach (var m in messages) errors[(m.Id, name)] = $"No handler named '{name}' is registered.";
            return;
        }
        if (handler is IOutboxBatchHandler batch && messages.Count > 1)
        {
            try
            {
                var failed = await batch.HandleBatchAsync(messages, ct);
                foreach (var m in messages) errors[(m.Id, name)] = failed.GetValueOrDefault(m.Id);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox batch of {Count} messages for {Handler} failed", messages.Count, name);
                foreach (var m in messages) errors[(m.Id, name)] = ex.Message;
            }
            return;
        }
        foreach (var message in messages)
        {
            try
            {
                await handler.HandleAsync(message, ct);
                errors[(message.Id, name)] = null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
            catch (Exception ex)
            {
                errors[(message.Id, name)] = ex.Message;
                logger.LogWarning(ex, "Outbox message {MessageId} ({Type} for {Handler}) failed on attempt {Attempt}", message.Id, message.Type, message.Handler, message.Attempts);
            }
        }
    }

    /// <summary>Gives messages back unattempted: the claim's attempt is not counted, and each is due when its handler said.</summary>
    private static async Task<int> ReleaseAsync(Sql sql, IReadOnlyDictionary<Guid, DateTime> deferred, Guid token, CancellationToken ct)
    {
        var released = 0;
        foreach (var (id, dueAt) in deferred)
            released += await sql.ExecAsync("UPDATE outbox_messages SET attempts = attempts - 1, next_attempt_at = @p0, locked_until = NULL WHERE id = @p1 AND lock_token = @p2",
                [dueAt, id, token], ct);
        return released;
    }

    private async Task<int> FinishDoneAsync(Sql sql, List<Guid> ids, Guid token, CancellationToken ct)
    {
        var names = string.Join(", ", ids.Select((_, i) => "@p" + (i + 2).ToString(CultureInfo.InvariantCulture)));
        object?[] args = [clock.GetUtcNow().UtcDateTime, token, .. ids.Cast<object?>()];
        return await sql.ExecAsync($"UPDATE outbox_messages SET {DoneSet} WHERE lock_token = @p1 AND id IN ({names})", args, ct);
    }

    private async Task<int> FinishAsync(Sql sql, OutboxMessage m, Guid token, string? error, IOutboxHandler? handler, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (error is null)
            return await sql.ExecAsync($"UPDATE outbox_messages SET {DoneSet} WHERE id = @p1 AND lock_token = @p2",
                [now, m.Id, token], ct);
        var dead = IsLastAttempt(handler, m.Attempts);
        if (dead) logger.LogError("Outbox message {MessageId} ({Type} for {Handler}) is dead after {Attempts} attempt(s): {Error}", m.Id, m.Type, m.Handler, m.Attempts, error);
        return await sql.ExecAsync(
            "UPDATE outbox_messages SET status = @p0, next_attempt_at = @p1, locked_until = NULL, last_error = @p2 WHERE id = @p3 AND lock_token = @p4",
            [dead ? OutboxStatus.Dead : OutboxStatus.Pending, NextAttemptAt(handler, m.Attempts, now), Truncate(error, 2000), m.Id, token], ct);
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: doubling from <see cref="OutboxOptions.RetryBaseMs"/>, ±20 % jitter, capped.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var ms = options.RetryBaseMs * Math.Pow(2, Math.Min(attempts - 1, 20));
        ms = Math.Min(ms, options.MaxRetryDelaySeconds * 1000.0);
        return TimeSpan.FromMilliseconds(ms * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
