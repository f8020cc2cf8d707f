using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain.Ledger;

namespace PayTrack.Features.Transfers;

/// <summary>Expires pending holds whose time is up, releasing the reserved money.</summary>
public sealed class HoldExpiryWorker(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration config, ILogger<HoldExpiryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(config.GetValue("Ledger:HoldExpiryIntervalMs", 1000));
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await ExpireDueAsync(scopes, clock, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Expiring holds failed; will retry"); }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Expires every hold due now; answers how many.</summary>
    public static async Task<int> ExpireDueAsync(IServiceScopeFactory scopes, TimeProvider clock, CancellationToken ct)
    {
        var expired = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
            var now = clock.GetUtcNow().UtcDateTime;
            var due = await db.Transfers.AsNoTracking()
                .Where(t => t.Status == TransferStatus.Pending && t.ExpiresAt <= now)
                .OrderBy(t => t.ExpiresAt).Select(t => t.Id).Take(100).ToListAsync(ct);
            if (due.Count == 0) return expired;
            foreach (var id in due)
            {
                db.ChangeTracker.Clear();
                var engine = scope.ServiceProvider.GetRequiredService<TransferEngine>();
                // A hold captured or voided meanwhile answers a refusal here: nothing to do.
                var outcome = await Sql.InTransactionAsync(db, c => engine.FinishHoldAsync(id, "expire", null, c), ct);
                if (outcome is TransferOutcome.Done) expired++;
            }
        }
    }
}
