using System.Diagnostics.Metrics;
using PayTrack.Infrastructure.Observability;

namespace PayTrack.Infrastructure.Outbox;

/// <summary>
/// The outbox on <c>/metrics</c>: deliveries by handler and outcome, the delay from commit to delivery,
/// and the backlog — messages waiting, the age of the oldest one, and dead ones. The backlog is a
/// snapshot the dispatcher refreshes every few seconds (<see cref="OutboxDispatcher"/>), so a scrape
/// never queries the database.
/// </summary>
public static class OutboxMetrics
{
    private static readonly Counter<long> Deliveries = PayTrackMeter.Meter.CreateCounter<long>(
        "paytrack.outbox.deliveries", unit: "{message}", description: "Outbox delivery attempts by handler and outcome (done, retry, dead).");

    private static readonly Histogram<double> Lag = PayTrackMeter.Meter.CreateHistogram<double>(
        "paytrack.outbox.delivery.lag", unit: "s", description: "From the commit that recorded a message to its successful delivery.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600] });

    private static Backlog _backlog = new(0, 0, null, null);

    static OutboxMetrics()
    {
        PayTrackMeter.Meter.CreateObservableGauge("paytrack.outbox.pending", () => (long)Volatile.Read(ref _backlog).Pending,
            unit: "{message}", description: "Messages waiting for delivery (due now or retrying later).");
        PayTrackMeter.Meter.CreateObservableGauge("paytrack.outbox.dead", () => (long)Volatile.Read(ref _backlog).Dead,
            unit: "{message}", description: "Messages that failed their last attempt and wait for an admin's retry.");
        PayTrackMeter.Meter.CreateObservableGauge("paytrack.outbox.oldest_pending.age", () =>
        {
            var b = Volatile.Read(ref _backlog);
            return b.OldestPending is { } oldest && b.At is { } at ? Math.Max(0, (at - oldest).TotalSeconds) : 0;
        }, unit: "s", description: "Age of the oldest message waiting for delivery, as of the last snapshot (0 when none waits).");
    }

    public static void Delivered(string handler, DateTime committedAt, DateTime now)
    {
        Deliveries.Add(1, new KeyValuePair<string, object?>("handler", handler), new KeyValuePair<string, object?>("outcome", "done"));
        Lag.Record(Math.Max(0, (now - committedAt).TotalSeconds), new KeyValuePair<string, object?>("handler", handler));
    }

    public static void Failed(string handler, bool dead) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("handler", handler), new KeyValuePair<string, object?>("outcome", dead ? "dead" : "retry"));

    public static void Snapshot(int pending, int dead, DateTime? oldestPending, DateTime at) =>
        Volatile.Write(ref _backlog, new Backlog(pending, dead, oldestPending, at));

    private sealed record Backlog(int Pending, int Dead, DateTime? OldestPending, DateTime? At);
}
