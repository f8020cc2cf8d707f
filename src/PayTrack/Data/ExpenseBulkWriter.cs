using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace PayTrack.Data;

/// <summary>
/// Writes many new expenses (and their tags) inside the context's current transaction, bypassing the
/// change tracker: binary COPY on PostgreSQL, one prepared INSERT per row on SQLite. Used by imports,
/// where EF's per-entity inserts were the bottleneck. Column lists mirror migration 0004 (expenses).
/// </summary>
public static class ExpenseBulkWriter
{
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromMinutes(5);

    public static async Task WriteAsync(PayTrackDb db, IReadOnlyList<Expense> expenses, CancellationToken ct)
    {
        if (expenses.Count == 0) return;
        var tx = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction.");
        if (db.IsSqlite) await WriteSqliteAsync((SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)tx, expenses, ct);
        else await WritePostgresAsync((NpgsqlConnection)db.Database.GetDbConnection(), expenses, ct);
    }

    private static async Task WritePostgresAsync(NpgsqlConnection conn, IReadOnlyList<Expense> expenses, CancellationToken ct)
    {
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY expenses (id, user_id, account_id, category_id, amount_minor, currency, kind, date, payee, description, external_id, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            // A large file is one COPY; give it the time a large file needs rather than the default command timeout.
            w.Timeout = CopyTimeout;
            foreach (var e in expenses)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(e.UserId, NpgsqlDbType.Uuid, ct);
                await WriteNullable(w, e.AccountId, ct);
                await WriteNullable(w, e.CategoryId, ct);
                await w.WriteAsync(e.AmountMinor, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(e.Currency, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Kind, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Date, NpgsqlDbType.Date, ct);
                await WriteText(w, e.Payee, ct);
                await WriteText(w, e.Description, ct);
                await WriteText(w, e.ExternalId, ct);
                await w.WriteAsync(e.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(e.UpdatedAt, NpgsqlDbType.TimestampTz, ct);
            }
            await w.CompleteAsync(ct);
        }
        if (!expenses.Any(e => e.Tags.Count > 0)) return;
        await using var t = await conn.BeginBinaryImportAsync("COPY expense_tags (expense_id, tag, user_id, date) FROM STDIN (FORMAT BINARY)", ct);
        t.Timeout = CopyTimeout;
        foreach (var e in expenses)
        foreach (var tag in e.Tags)
        {
            await t.StartRowAsync(ct);
            await t.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
            await t.WriteAsync(tag.Tag, NpgsqlDbType.Text, ct);
            await t.WriteAsync(e.UserId, NpgsqlDbType.Uuid, ct);
            await t.WriteAsync(e.Date, NpgsqlDbType.Date, ct);
        }
        await t.CompleteAsync(ct);
    }

    private static async Task WriteNullable(NpgsqlBinaryImporter w, Guid? value, CancellationToken ct)
    {
        if (value is { } v) await w.WriteAsync(v, NpgsqlDbType.Uuid, ct);
        else await w.WriteNullAsync(ct);
    }

    private static async Task WriteText(NpgsqlBinaryImporter w, string? value, CancellationToken ct)
    {
        if (value is null) await w.WriteNullAsync(ct);
        else await w.WriteAsync(value, NpgsqlDbType.Text, ct);
    }

    private static async Task WriteSqliteAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<Expense> expenses, CancellationToken ct)
    {
        // The text forms EF Core's SQLite provider writes and compares: upper-case GUIDs, ISO dates.
        static object Id(Guid? g) => g is { } v ? v.ToString().ToUpperInvariant() : DBNull.Value;
        static object Text(string? s) => s is null ? DBNull.Value : s;
        static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

        await using var insert = Prepared(conn, tx,
            "INSERT INTO expenses (id, user_id, account_id, category_id, amount_minor, currency, kind, date, payee, description, external_id, created_at, updated_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", 13);
        await using var tag = Prepared(conn, tx, "INSERT INTO expense_tags (expense_id, tag, user_id, date) VALUES ($1, $2, $3, $4)", 4);
        foreach (var e in expenses)
        {
            ct.ThrowIfCancellationRequested();
            Exec(insert, Id(e.Id), Id(e.UserId), Id(e.AccountId), Id(e.CategoryId), e.AmountMinor, e.Currency, e.Kind,
                e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Text(e.Payee), Text(e.Description), Text(e.ExternalId),
                Stamp(e.CreatedAt), Stamp(e.UpdatedAt));
            foreach (var t in e.Tags) Exec(tag, Id(e.Id), t.Tag, Id(e.UserId), e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    private static SqliteCommand Prepared(SqliteConnection conn, SqliteTransaction tx, string sql, int parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 1; i <= parameters; i++) cmd.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
        cmd.Prepare();
        return cmd;
    }

    private static void Exec(DbCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
        cmd.ExecuteNonQuery();
    }
}
