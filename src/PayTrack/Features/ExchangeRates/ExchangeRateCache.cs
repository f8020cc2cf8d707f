using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;

namespace PayTrack.Features.ExchangeRates;

/// <summary>
/// Every exchange rate in memory as one immutable <see cref="RateTable"/>, shared by reports and
/// budgets. Rates are global and change rarely; reading them for every report cost more than the
/// report's own aggregate. Writes through this process invalidate the snapshot at once; rates written
/// by another instance are picked up within <see cref="MaxAge"/> (see ADR 0011).
/// </summary>
public sealed class ExchangeRateCache(TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot? _snapshot;
    private long _version;

    private sealed record Snapshot(RateTable Table, DateTimeOffset LoadedAt, long Version);

    public async Task<RateTable> GetAsync(PayTrackDb db, CancellationToken ct)
    {
        if (Fresh(_snapshot) is { } hit) return hit.Table;
        await _reload.WaitAsync(ct);
        try
        {
            if (Fresh(_snapshot) is { } again) return again.Table;
            var version = Interlocked.Read(ref _version);
            var table = new RateTable();
            var rows = await db.ExchangeRates.AsNoTracking().OrderBy(r => r.Base).ThenBy(r => r.Quote).ThenBy(r => r.Date)
                .Select(r => new { r.Base, r.Quote, r.Date, r.Rate }).ToListAsync(ct);
            foreach (var r in rows) table.Add(r.Base, r.Quote, r.Date, r.Rate);
            _snapshot = new Snapshot(table, clock.GetUtcNow(), version);
            return table;
        }
        finally { _reload.Release(); }
    }

    /// <summary>Call after writing rates: the next reader reloads.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    public void Dispose() => _reload.Dispose();

    private Snapshot? Fresh(Snapshot? s) =>
        s is not null && s.Version == Interlocked.Read(ref _version) && clock.GetUtcNow() - s.LoadedAt < MaxAge ? s : null;
}
