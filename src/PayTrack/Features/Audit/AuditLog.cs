using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;

namespace PayTrack.Features.Audit;

/// <summary>
/// The tamper-evident audit log. Events are inserted in the same transaction as the change they
/// record, unsealed; <see cref="SealAsync"/> later chains them in order (seq, prev_hash, hash) so
/// that writers never wait on each other for the chain. See docs/decisions/0006-audit-chain.md.
/// </summary>
public sealed class AuditLog(PayTrackDb db, Sql sql, TimeProvider clock)
{
    private const long SealLockKey = 0x41756469745365; // one sealer at a time across instances

    /// <summary>Adds an event inside the caller's transaction (raw SQL). Use cases record events through <c>DomainEvents</c>, which writes the audit row too.</summary>
    public Task RecordAsync(Guid? actorId, Guid? userId, string @event, string entityType, Guid entityId, object data, CancellationToken ct) =>
        sql.ExecAsync(
            "INSERT INTO audit_events (at, actor_id, user_id, event, entity_type, entity_id, data) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)",
            [clock.GetUtcNow().UtcDateTime, actorId, userId, @event, entityType, entityId, AuditRows.DataText(data)], ct);

    /// <summary>Chains every unsealed event, oldest id first, onto the end of the chain; answers how many it sealed.</summary>
    public async Task<int> SealAsync(CancellationToken ct, int batch = 500)
    {
        return await Sql.InTransactionAsync(db, async c =>
        {
            if (!sql.IsSqlite) await sql.ExecAsync($"SELECT pg_advisory_xact_lock({SealLockKey})", [], c);
            var head = await sql.QueryAsync("SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", [],
                r => (Seq: Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Hash: r.GetString(1)), c);
            var (seq, prev) = head.Count == 0 ? (0L, Genesis) : (head[0].Seq, head[0].Hash);
            var pending = await db.AuditEvents.AsNoTracking().Where(e => e.Seq == null).OrderBy(e => e.Id).Take(batch).ToListAsync(c);
            var sealedIds = new long[pending.Count];
            var seqs = new long[pending.Count];
            var prevs = new string[pending.Count];
            var hashes = new string[pending.Count];
            for (var i = 0; i < pending.Count; i++)
            {
                seq++;
                var hash = HashOf(pending[i], seq, prev);
                (sealedIds[i], seqs[i], prevs[i], hashes[i]) = (pending[i].Id, seq, prev, hash);
                prev = hash;
            }
            if (sql.IsSqlite)
            {
                var updates = new StatementBatch(sql);
                for (var i = 0; i < pending.Count; i++)
                {
                    updates.Add("UPDATE audit_events SET seq = {0}, prev_hash = {1}, hash = {2} WHERE id = {3} AND seq IS NULL", seqs[i], prevs[i], hashes[i], sealedIds[i]);
                    if (updates.Count >= 24) await updates.ExecuteAsync(c); // see TransferEngine.SendManyAsync
                }
                await updates.ExecuteAsync(c);
            }
            else if (pending.Count > 0)
            {
                // One statement for the whole batch: array parameters instead of one planned UPDATE per event.
                await sql.ExecAsync(
                    "UPDATE audit_events a SET seq = u.seq, prev_hash = u.prev, hash = u.hash " +
                    "FROM unnest(@p0::bigint[], @p1::bigint[], @p2::text[], @p3::text[]) AS u(id, seq, prev, hash) WHERE a.id = u.id AND a.seq IS NULL",
                    [sealedIds, seqs, prevs, hashes], c);
            }
            if (pending.Count > 0)
            {
                await sql.ExecAsync(
                    "INSERT INTO app_flags (key, value) VALUES ('audit-head', @p0) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [seq.ToString(CultureInfo.InvariantCulture) + ":" + prev], c);
            }
            return pending.Count;
        }, ct);
    }

    /// <summary>Walks the sealed chain and recomputes every link; the first event that does not match is named.</summary>
    public async Task<(bool Valid, long Checked, long? FirstInvalidId)> VerifyAsync(CancellationToken ct)
    {
        long expectedSeq = 0, checkedCount = 0;
        var prev = Genesis;
        long lastId = 0;
        await foreach (var e in db.AuditEvents.AsNoTracking().Where(e => e.Seq != null).OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(ct))
        {
            expectedSeq++;
            checkedCount++;
            lastId = e.Id;
            if (e.Seq != expectedSeq || e.PrevHash != prev || e.Hash != HashOf(e, e.Seq!.Value, prev))
                return (false, checkedCount, e.Id);
            prev = e.Hash!;
        }
        // Deleting the newest events leaves a shorter chain that is valid in itself; the recorded head catches that.
        var head = await db.Database.SqlQueryRaw<string>("SELECT value AS \"Value\" FROM app_flags WHERE key = 'audit-head'").FirstOrDefaultAsync(ct);
        if (head is not null && head != expectedSeq.ToString(CultureInfo.InvariantCulture) + ":" + prev)
            return (false, checkedCount, lastId == 0 ? null : lastId);
        return (true, checkedCount, null);
    }

    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    internal static string HashOf(AuditEvent e, long seq, string prev)
    {
        var canonical = string.Join('\u001f',
            seq.ToString(CultureInfo.InvariantCulture), prev, e.Id.ToString(CultureInfo.InvariantCulture),
            e.At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            e.ActorId?.ToString() ?? "", e.UserId?.ToString() ?? "", e.Event, e.EntityType, e.EntityId.ToString(), e.Data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>Seals new audit events about once a second, in batches until none are left.</summary>
public sealed class AuditSealer(IServiceScopeFactory scopes, ILogger<AuditSealer> logger, IConfiguration config) : BackgroundService
{
    private const int SealBatch = 2000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(config.GetValue("Audit:SealIntervalMs", 1000));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // Keep sealing while full batches come back, so a busy ledger's backlog drains instead of growing.
                var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
                while (await log.SealAsync(stoppingToken, SealBatch) == SealBatch && !stoppingToken.IsCancellationRequested) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Sealing audit events failed; will retry");
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }
}
