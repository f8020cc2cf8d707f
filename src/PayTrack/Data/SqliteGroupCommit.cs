using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace PayTrack.Data;

/// <summary>
/// Group commit for SQLite's hottest write (a single transfer). SQLite has one writer at a time, so
/// requests queue anyway; here the queued ones are run one after the other in ONE transaction, each
/// inside its own savepoint, and answered only after that transaction has committed. A failing request
/// rolls back to its savepoint and does not disturb the others. The transaction's begin, commit and
/// fsync are paid once per group instead of once per request. See docs/decisions/0027-sqlite-group-commit.md.
/// Work run here must use only <see cref="Sql"/> (it is pointed at the group's connection), never EF queries:
/// <see cref="SqliteGroupCommitGuard"/> refuses any EF command issued while group work runs.
/// </summary>
public static class SqliteGroupCommit
{
    private const int MaxGroup = 64;
    private static readonly AsyncLocal<bool> InWork = new();

    /// <summary>True while the current async flow runs work inside a group (checked by <see cref="SqliteGroupCommitGuard"/>).</summary>
    public static bool InGroupWork => InWork.Value;
    private static readonly ConcurrentDictionary<string, Writer> Writers = new(StringComparer.Ordinal);

    public static async Task<T> RunAsync<T>(PayTrackDb db, Sql sql, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        var writer = Writers.GetOrAdd(conn.DataSource, _ => new Writer(conn.DataSource, db.Database.GetConnectionString()!, PragmasOf(db)));
        var item = new Item(sql, async c => await work(c), ct);
        await writer.Queue.Writer.WriteAsync(item, ct);
        return (T)(await item.Done.Task)!;
    }

    private static string PragmasOf(PayTrackDb db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<SqliteConnectionSetup>().FirstOrDefault()?.Pragmas
        ?? new SqliteConnectionSetup().Pragmas;

    private sealed record Item(Sql Sql, Func<CancellationToken, Task<object?>> Work, CancellationToken Ct)
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Writer
    {
        public Channel<Item> Queue { get; } = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
        private readonly string _dataSource;
        private readonly string _connectionString;
        private readonly string _pragmas;

        public Writer(string dataSource, string connectionString, string pragmas)
        {
            (_dataSource, _connectionString, _pragmas) = (dataSource, connectionString, pragmas);
            _ = Task.Run(LoopAsync);
        }

        private async Task LoopAsync()
        {
            var group = new List<Item>(MaxGroup);
            while (await Queue.Reader.WaitToReadAsync())
            {
                group.Clear();
                while (group.Count < MaxGroup && Queue.Reader.TryRead(out var item)) group.Add(item);
                if (group.Count > 0) await RunGroupAsync(group);
            }
        }

        private async Task RunGroupAsync(List<Item> group)
        {
            var results = new (object? Value, Exception? Error)[group.Count];
            var gate = SqliteConnectionSetup.WriteGate(_dataSource);
            await gate.WaitAsync();
            try
            {
                await using var conn = new SqliteConnection(_connectionString);
                await conn.OpenAsync();
                await ExecAsync(conn, null, _pragmas);
                await using var tx = conn.BeginTransaction(deferred: false);
                for (var i = 0; i < group.Count; i++)
                {
                    var item = group[i];
                    if (item.Ct.IsCancellationRequested) { results[i] = (null, new OperationCanceledException(item.Ct)); continue; }
                    await ExecAsync(conn, tx, "SAVEPOINT request");
                    item.Sql.Borrow(conn, tx);
                    try
                    {
                        results[i] = (await RunWorkAsync(item), null);
                        await ExecAsync(conn, tx, "RELEASE request");
                    }
                    catch (Exception e)
                    {
                        results[i] = (null, e);
                        await ExecAsync(conn, tx, "ROLLBACK TO request; RELEASE request");
                    }
                    finally { item.Sql.Return(); }
                }
                await tx.CommitAsync();
            }
            catch (Exception e)
            {
                // Nothing of the group is committed: every request of it fails (none has been answered yet).
                for (var i = 0; i < group.Count; i++) results[i] = (null, e);
            }
            finally { gate.Release(); }

            for (var i = 0; i < group.Count; i++)
            {
                if (results[i].Error is { } error) group[i].Done.TrySetException(error);
                else group[i].Done.TrySetResult(results[i].Value);
            }
        }

        /// <summary>Runs one request's work with the guard's flag set for its async flow only.</summary>
        private static async Task<object?> RunWorkAsync(Item item)
        {
            InWork.Value = true;
            try { return await item.Work(item.Ct); }
            finally { InWork.Value = false; }
        }

        private static async Task ExecAsync(SqliteConnection conn, SqliteTransaction? tx, string text)
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = text;
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
