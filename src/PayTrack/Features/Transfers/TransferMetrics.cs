using System.Diagnostics.Metrics;
using PayTrack.Domain.Ledger;
using PayTrack.Infrastructure.Observability;

namespace PayTrack.Features.Transfers;

/// <summary>
/// <c>paytrack.transfers</c>: transfers booked, by <c>outcome</c> — <c>success</c>, <c>pending</c> (a hold
/// placed), <c>failed</c> (refused when booked: insufficient funds, a wallet not active) — and hold endings
/// <c>captured</c>, <c>voided</c>, <c>expired</c>. Counted where the ledger decides, so a transaction retried
/// after a serialization failure counts again (rare). Exported as <c>paytrack_transfers_total</c>.
/// </summary>
public static class TransferMetrics
{
    private static readonly Counter<long> Transfers = PayTrackMeter.Meter.CreateCounter<long>(
        "paytrack.transfers", unit: "{transfer}", description: "Transfers booked, by outcome.");

    public static void Booked(string outcome) => Transfers.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A hold ended: captured, voided or expired.</summary>
    public static void HoldEnded(string status) => Booked(status == TransferStatus.Success ? "captured" : status);
}
