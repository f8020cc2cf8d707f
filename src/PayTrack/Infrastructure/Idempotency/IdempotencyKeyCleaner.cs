using PayTrack.Data;

namespace PayTrack.Infrastructure.Idempotency;

/// <summary>
/// Forgets Idempotency-Keys older than <c>Idempotency:RetentionHours</c> (default 48; never less than the
/// 24 hours the contract promises), in small chunks so no delete holds the database for long.
/// </summary>
public sealed class IdempotencyKeyCleaner(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration config, ILogger<IdempotencyKeyCleaner> logger) : BackgroundService
{
    public const int MinimumRetentionHours = 24;
    private const int Chunk = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(config.GetValue("Idempotency:CleanupIntervalMinutes", 60.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await CleanAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Deleting old idempotency keys failed; will retry"); }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Deletes every key past retention; answers how many.</summary>
    public async Task<int> CleanAsync(CancellationToken ct)
    {
        var hours = Math.Max(MinimumRetentionHours, config.GetValue("Idempotency:RetentionHours", 48.0));
        var cutoff = clock.GetUtcNow().UtcDateTime.AddHours(-hours);
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var sql = scope.ServiceProvider.GetRequiredService<Sql>();
            var rowId = sql.IsSqlite ? "rowid" : "ctid";
            var deleted = await sql.WriteAsync(
                $"DELETE FROM idempotency_keys WHERE {rowId} IN (SELECT {rowId} FROM idempotency_keys WHERE created_at < @p0 LIMIT {Chunk})", [cutoff], ct);
            total += deleted;
            if (deleted < Chunk) return total;
        }
    }
}
