using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace PayTrack.Data;

/// <summary>One forward-only migration: an embedded SQL script for one provider.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>
/// Applies the embedded, versioned SQL migrations of the current provider, each in its own
/// transaction together with its row in <c>schema_versions</c>. See docs/decisions/0003-migrations.md.
/// </summary>
public sealed partial class MigrationRunner(PayTrackDb db, ILogger<MigrationRunner> logger)
{
    private const long PostgresLockKey = 0x5061795472616B; // "PayTrak": one migrator at a time across instances.

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileName();

    public string Provider => db.IsSqlite ? "Sqlite" : "Postgres";

    /// <summary>All migrations shipped for this provider, in version order.</summary>
    public IReadOnlyList<Migration> Available() => Load(Provider);

    internal static IReadOnlyList<Migration> Load(string provider)
    {
        var asm = typeof(MigrationRunner).Assembly;
        var prefix = $"PayTrack.Data.Migrations.{provider}.";
        var list = new List<Migration>();
        foreach (var resource in asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = resource[prefix.Length..];
            var m = FileName().Match(file);
            if (!m.Success) throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            using var stream = asm.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Version != i + 1) throw new InvalidOperationException($"{provider} migrations must be numbered 1..n without gaps; found {list[i].Version} at position {i + 1}.");
        }
        return list;
    }

    /// <summary>The versions recorded as applied, with their checksums.</summary>
    public async Task<IReadOnlyDictionary<int, string>> AppliedAsync(CancellationToken ct = default)
    {
        var conn = await OpenAsync(ct);
        if (!await TableExistsAsync(conn, ct)) return new Dictionary<int, string>();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT version, checksum FROM schema_versions";
        var result = new Dictionary<int, string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetInt32(0)] = reader.GetString(1);
        return result;
    }

    /// <summary>Versions shipped but not applied yet; throws if an applied migration was edited after the fact.</summary>
    public async Task<IReadOnlyList<Migration>> PendingAsync(CancellationToken ct = default)
    {
        var applied = await AppliedAsync(ct);
        var available = Available();
        foreach (var (version, checksum) in applied)
        {
            var shipped = available.FirstOrDefault(m => m.Version == version)
                ?? throw new InvalidOperationException($"The database is at schema version {version}, newer than this build knows ({available.Count}). Upgrade PayTrack instead.");
            if (shipped.Checksum != checksum)
                throw new InvalidOperationException($"Migration {version} ({shipped.Name}) was changed after it was applied; migrations are forward-only, add a new one instead.");
        }
        return available.Where(m => !applied.ContainsKey(m.Version)).ToList();
    }

    /// <summary>Applies pending migrations up to <paramref name="targetVersion"/> (all when null); returns how many ran.</summary>
    public async Task<int> MigrateAsync(int? targetVersion = null, CancellationToken ct = default)
    {
        var conn = await OpenAsync(ct);
        if (!db.IsSqlite) await ExecAsync(conn, null, $"SELECT pg_advisory_lock({PostgresLockKey})", ct);
        try
        {
            await EnsureTableAsync(conn, ct);
            var ran = 0;
            foreach (var migration in await PendingAsync(ct))
            {
                if (targetVersion is { } t && migration.Version > t) break;
                await using var tx = await conn.BeginTransactionAsync(ct);
                await ExecAsync(conn, tx, migration.Sql, ct);
                await using (var insert = conn.CreateCommand())
                {
                    insert.Transaction = tx;
                    insert.CommandText = "INSERT INTO schema_versions (version, name, checksum, applied_at) VALUES (@v, @n, @c, @a)";
                    AddParam(insert, "@v", migration.Version);
                    AddParam(insert, "@n", migration.Name);
                    AddParam(insert, "@c", migration.Checksum);
                    AddParam(insert, "@a", db.IsSqlite ? DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : DateTime.UtcNow);
                    await insert.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied {Provider} migration {Version} {Name}", Provider, migration.Version, migration.Name);
                ran++;
            }
            return ran;
        }
        finally
        {
            if (!db.IsSqlite) await ExecAsync(conn, null, $"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None);
        }
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        return conn;
    }

    private async Task<bool> TableExistsAsync(DbConnection conn, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = db.IsSqlite
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_versions'";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }

    private Task EnsureTableAsync(DbConnection conn, CancellationToken ct) => ExecAsync(conn, null, db.IsSqlite
        ? "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
        : "CREATE TABLE IF NOT EXISTS schema_versions (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)", ct);

    private static async Task ExecAsync(DbConnection conn, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParam(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
