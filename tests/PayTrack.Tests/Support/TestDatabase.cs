using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PayTrack.Data;

namespace PayTrack.Tests.Support;

/// <summary>
/// A clean, fully migrated database for one test, on the provider named by PAYTRACK_TEST_DB
/// (<c>sqlite</c>, the default, or <c>postgres</c> with PAYTRACK_TEST_PG as the server's admin connection string).
/// Copies of a template migrated once per run keep this fast.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static string Provider { get; } = (Environment.GetEnvironmentVariable("PAYTRACK_TEST_DB") ?? "sqlite").ToLowerInvariant();
    public static bool IsPostgres => Provider == "postgres";
    private static string PgAdmin => Environment.GetEnvironmentVariable("PAYTRACK_TEST_PG")
        ?? throw new InvalidOperationException("PAYTRACK_TEST_DB=postgres needs PAYTRACK_TEST_PG (an admin connection string); ./test.sh sets both.");

    private static readonly string RunId = $"{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    private TestDatabase(string connectionString, string name, string directory)
    {
        ConnectionString = connectionString;
        Name = name;
        Directory = directory;
    }

    public string ConnectionString { get; }
    public string Name { get; }
    /// <summary>A private folder for this test's app (keys, files).</summary>
    public string Directory { get; }
    public string ProviderSetting => IsPostgres ? "Postgres" : "Sqlite";

    /// <summary>A database at the newest schema (or empty, when <paramref name="migrated"/> is false).</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrated = true)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        var dir = Path.Combine(Path.GetTempPath(), "paytrack-tests", RunId, name);
        System.IO.Directory.CreateDirectory(dir);
        if (IsPostgres)
        {
            var template = migrated ? await TemplateAsync() : null;
            await using var conn = new NpgsqlConnection(PgAdmin);
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}";
            await TemplateGate.WaitAsync();
            try { await cmd.ExecuteNonQueryAsync(); }
            finally { TemplateGate.Release(); }
            return new TestDatabase(new NpgsqlConnectionStringBuilder(PgAdmin) { Database = name }.ConnectionString, name, dir);
        }

        var file = Path.Combine(dir, "paytrack.db");
        if (migrated) File.Copy(await TemplateAsync(), file);
        return new TestDatabase($"Data Source={file}", name, dir);
    }

    private static async Task<string> TemplateAsync()
    {
        if (_template is not null) return _template;
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is not null) return _template;
            string connectionString, result;
            if (IsPostgres)
            {
                result = $"tpl_{RunId}";
                await using (var conn = new NpgsqlConnection(PgAdmin))
                {
                    await conn.OpenAsync();
                    await using var cmd = conn.CreateCommand();
                    cmd.CommandText = $"CREATE DATABASE {result}";
                    await cmd.ExecuteNonQueryAsync();
                }
                connectionString = new NpgsqlConnectionStringBuilder(PgAdmin) { Database = result, Pooling = false }.ConnectionString;
            }
            else
            {
                var dir = Path.Combine(Path.GetTempPath(), "paytrack-tests", RunId);
                System.IO.Directory.CreateDirectory(dir);
                result = Path.Combine(dir, "template.db");
                connectionString = $"Data Source={result};Pooling=False";
            }
            await using (var db = Open(connectionString))
            {
                await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
            }
            if (!IsPostgres) SqliteConnection.ClearAllPools();
            _template = result;
            return result;
        }
        finally { TemplateGate.Release(); }
    }

    /// <summary>A context on this database, outside any app: for arranging and inspecting rows directly.</summary>
    public PayTrackDb OpenContext() => Open(ConnectionString);

    internal static PayTrackDb Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PayTrackDb>();
        if (IsPostgres) options.UseNpgsql(connectionString);
        else options.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSetup());
        return new PayTrackDb(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (IsPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(PgAdmin);
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)";
            await cmd.ExecuteNonQueryAsync();
        }
        else SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a file still held open; the temp folder is cleaned by the OS */ }
    }
}
