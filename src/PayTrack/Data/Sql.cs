using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace PayTrack.Data;

/// <summary>
/// Raw SQL on the context's own connection and transaction, for the ledger's hot paths: values are
/// converted the way EF stores them (SQLite: upper-case GUID text, ISO timestamps), and several
/// statements go to the server in one round trip.
/// </summary>
public sealed class Sql(PayTrackDb db)
{
    public const string SqliteDateFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    private readonly bool _sqlite = db.IsSqlite;

    private DbConnection? _borrowedConnection;
    private DbTransaction? _borrowedTransaction;

    public bool IsSqlite => _sqlite;
    public bool InTransaction => _borrowedTransaction is not null || db.Database.CurrentTransaction is not null;

    /// <summary>Runs this request's statements on another connection and transaction (<see cref="SqliteGroupCommit"/>) until <see cref="Return"/>.</summary>
    public void Borrow(DbConnection connection, DbTransaction transaction) => (_borrowedConnection, _borrowedTransaction) = (connection, transaction);

    public void Return() => (_borrowedConnection, _borrowedTransaction) = (null, null);

    /// <summary>Which database this is (server and name, or file), for caches of facts that never change.</summary>
    public string DatabaseIdentity
    {
        get
        {
            var conn = db.Database.GetDbConnection();
            return conn.DataSource + "/" + conn.Database;
        }
    }

    public async Task<int> ExecAsync(string sql, object?[] args, CancellationToken ct)
    {
        await using var cmd = await CommandAsync(sql, args, ct);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A write outside any transaction. On SQLite it queues behind the in-process write gate like
    /// transactions do, so it never polls for the file lock.
    /// </summary>
    public Task<int> WriteAsync(string sql, object?[] args, CancellationToken ct) =>
        !_sqlite || InTransaction
            ? ExecAsync(sql, args, ct)
            : GatedAsync(db, c => ExecAsync(sql, args, c), ct);

    public async Task<List<T>> QueryAsync<T>(string sql, object?[] args, Func<DbDataReader, T> map, CancellationToken ct)
    {
        await using var cmd = await CommandAsync(sql, args, ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct)) list.Add(map(reader));
        return list;
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> into <paramref name="table"/>, skipping any that conflict with a row
    /// already there (a redelivered outbox message writes nothing twice), and answers the ids of the rows
    /// inserted (the table's first column). PostgreSQL: one statement over typed arrays; SQLite: multi-row
    /// VALUES in chunks.
    /// </summary>
    public async Task<HashSet<Guid>> InsertManyIgnoringConflictsAsync(RowTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var inserted = new HashSet<Guid>();
        if (rows.Count == 0) return inserted;
        var idColumn = table.Columns[0].Name;
        if (!_sqlite)
        {
            object?[] arrays = table.Columns.Select((c, i) => (object?)RowBatch.ToArray(rows, i, c.PgType)).ToArray();
            var text = table.UnnestInsert;
            for (var i = table.Columns.Count - 1; i >= 0; i--)
                text = text.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", "@p" + i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            foreach (var id in await QueryAsync(text + $" ON CONFLICT DO NOTHING RETURNING {idColumn}", arrays, r => ReadGuid(r, 0), ct)) inserted.Add(id);
            return inserted;
        }
        var perStatement = Math.Max(1, Math.Min(RowBatch.SqliteRowsPerStatement, RowBatch.SqliteParametersPerCommand / table.Columns.Count));
        for (var from = 0; from < rows.Count; from += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - from);
            var text = new System.Text.StringBuilder(table.InsertHead).Append(" VALUES ");
            var args = new List<object?>(count * table.Columns.Count);
            for (var r = from; r < from + count; r++)
            {
                text.Append(r == from ? "(" : ", (");
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    if (c > 0) text.Append(", ");
                    text.Append("@p").Append(args.Count.ToString(CultureInfo.InvariantCulture));
                    args.Add(rows[r][c]);
                }
                text.Append(')');
            }
            text.Append(" ON CONFLICT DO NOTHING RETURNING ").Append(idColumn);
            foreach (var id in await QueryAsync(text.ToString(), args.ToArray(), r => ReadGuid(r, 0), ct)) inserted.Add(id);
        }
        return inserted;
    }

    private async Task<DbCommand> CommandAsync(string sql, object?[] args, CancellationToken ct)
    {
        DbCommand cmd;
        if (_borrowedConnection is { } borrowed)
        {
            cmd = borrowed.CreateCommand();
            cmd.Transaction = _borrowedTransaction;
        }
        else
        {
            var conn = db.Database.GetDbConnection();
            if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
            cmd = conn.CreateCommand();
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        }
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            // A parameter the caller made itself (an array with its PostgreSQL type) is only named here.
            var p = args[i] as DbParameter ?? cmd.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            if (!ReferenceEquals(p, args[i])) p.Value = Value(args[i]);
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private object Value(object? v) => v switch
    {
        null => DBNull.Value,
        Guid g when _sqlite => g.ToString().ToUpperInvariant(),
        DateTime d when _sqlite => d.ToString(SqliteDateFormat, CultureInfo.InvariantCulture),
        bool b when _sqlite => b ? 1L : 0L,
        _ => v,
    };

    public static Guid ReadGuid(DbDataReader r, int i) => r.GetValue(i) switch
    {
        Guid g => g,
        string s => Guid.Parse(s),
        var other => throw new InvalidCastException($"Column {i} is {other.GetType().Name}, not a GUID."),
    };

    public static Guid? ReadGuidOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : ReadGuid(r, i);

    public static DateTime ReadDate(DbDataReader r, int i) => r.GetValue(i) switch
    {
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        string s => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc),
        var other => throw new InvalidCastException($"Column {i} is {other.GetType().Name}, not a timestamp."),
    };

    public static string? ReadStringOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, again (bounded, with jitter) when the database reports a
    /// deadlock, a serialization failure or a busy file. On SQLite the transaction queues behind the file's
    /// write gate. Inside a transaction already open on this context (the idempotency gate's, around a
    /// handler) the work simply joins it: the outer transaction commits, retries and rolls back the whole.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(PayTrackDb db, Func<CancellationToken, Task<T>> work, CancellationToken ct, int attempts = 8) =>
        db.Database.CurrentTransaction is not null ? work(ct)
        : db.IsSqlite ? GatedAsync(db, c => RunAsync(db, work, attempts, c), ct)
        : RunAsync(db, work, attempts, ct);

    /// <summary>Runs a SQLite write behind the file's in-process write gate (ADR 0008).</summary>
    private static async Task<T> GatedAsync<T>(PayTrackDb db, Func<CancellationToken, Task<T>> write, CancellationToken ct)
    {
        var gate = SqliteConnectionSetup.WriteGate(db.Database.GetDbConnection().DataSource);
        await gate.WaitAsync(ct);
        try { return await write(ct); }
        finally { gate.Release(); }
    }

    private static async Task<T> RunAsync<T>(PayTrackDb db, Func<CancellationToken, Task<T>> work, int attempts, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var result = await work(ct);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception ex) when (attempt < attempts && DbErrors.IsTransient(ex))
            {
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }
}
