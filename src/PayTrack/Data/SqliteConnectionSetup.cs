using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PayTrack.Data;

/// <summary>
/// Per-connection SQLite settings. <c>busy_timeout</c> lets SQLite itself wait (in fine steps) for the
/// write lock, instead of Microsoft.Data.Sqlite's coarse retry loop. See docs/decisions/0008-sqlite-writes.md.
/// </summary>
public sealed class SqliteConnectionSetup(string synchronous = "FULL") : DbConnectionInterceptor
{
    public string Pragmas { get; } = $"PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = {Checked(synchronous)};";

    private static string Checked(string value) => value.ToUpperInvariant() switch
    {
        "FULL" or "NORMAL" or "EXTRA" => value.ToUpperInvariant(),
        _ => throw new InvalidOperationException($"Database:SqliteSynchronous must be FULL, NORMAL or EXTRA, not '{value}'."),
    };

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>
    /// One writer at a time per SQLite file, queued in this process: SQLite allows a single writer anyway,
    /// and waiting here costs nothing while waiting on the file lock means polling.
    /// </summary>
    public static SemaphoreSlim WriteGate(string dataSource) => Gates.GetOrAdd(dataSource, _ => new SemaphoreSlim(1, 1));
}
