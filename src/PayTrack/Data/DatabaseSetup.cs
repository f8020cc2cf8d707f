using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PayTrack.Data;

/// <summary>Which database PayTrack uses and where; bound from the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = "Sqlite";
    /// <summary>Folder for the SQLite file and other local state, relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";
    public bool MigrateOnStartup { get; set; } = true;
    /// <summary>SQLite's <c>synchronous</c> pragma: FULL (default, every commit on disk) or NORMAL (WAL: safe against crashes of PayTrack, not of the machine).</summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase)
        || Provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase);
}

public static class DatabaseSetup
{
    /// <summary>Registers <see cref="PayTrackDb"/> on SQLite or PostgreSQL as configured, plus the migrator and the readiness check.</summary>
    public static IServiceCollection AddPayTrackDatabase(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var options = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataDir = ResolveDataDirectory(options, env);
        services.AddSingleton(options);
        var connectionString = config.GetConnectionString("Default");

        if (options.IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Default is empty.");
            // The ledger runs the same statements all the time: let Npgsql prepare them once per connection.
            var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (npgsql.MaxAutoPrepare == 0) { npgsql.MaxAutoPrepare = 64; npgsql.AutoPrepareMinUsages = 2; }
            // PayTrack sets no session state on pooled connections (advisory locks are transaction-scoped, the
            // migrator's is released explicitly), so skip the reset Npgsql would otherwise send on every reuse.
            if (!npgsql.ContainsKey("No Reset On Close")) npgsql.NoResetOnClose = true;
            connectionString = npgsql.ConnectionString;
            services.AddDbContextPool<PayTrackDb>(o => o.UseNpgsql(connectionString));
        }
        else if (options.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                Directory.CreateDirectory(dataDir);
                connectionString = $"Data Source={Path.Combine(dataDir, "paytrack.db")}";
            }
            KeepPrivate(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource);
            // A generous busy timeout: writers queue behind each other instead of failing with SQLITE_BUSY.
            connectionString += ";Default Timeout=30;Pooling=True";
            services.AddDbContextPool<PayTrackDb>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSetup(options.SqliteSynchronous), new SqliteGroupCommitGuard()));
        }
        else throw new InvalidOperationException($"Database:Provider '{options.Provider}' is not supported; use Sqlite or Postgres.");

        services.AddScoped<MigrationRunner>();
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The database holds everyone's money and e-mail: only PayTrack's own user may read it. The file is
    /// created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database file's mode),
    /// and files left by an older version with wider modes are narrowed.
    /// </summary>
    private static void KeepPrivate(string file)
    {
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal)) return;
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            using (new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Private })) { }
        }
        foreach (var f in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
            if (File.Exists(f) && (File.GetUnixFileMode(f) & ~Private) != 0) File.SetUnixFileMode(f, Private);
    }

    public static string ResolveDataDirectory(DatabaseOptions options, IHostEnvironment env) =>
        Path.GetFullPath(Path.IsPathRooted(options.DataDirectory)
            ? options.DataDirectory
            : Path.Combine(env.ContentRootPath, options.DataDirectory));

    /// <summary>Prepares the database at start-up: SQLite's journal mode, then pending migrations.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, int? targetVersion = null, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        if (db.IsSqlite)
        {
            // WAL lets readers run beside the single writer; it is a property of the file, set once.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        await scope.ServiceProvider.GetRequiredService<MigrationRunner>().MigrateAsync(targetVersion, ct);
    }
}

/// <summary>Ready when the database answers and no migration is pending.</summary>
internal sealed class DatabaseReadyCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var pending = await scope.ServiceProvider.GetRequiredService<MigrationRunner>().PendingAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Database reachable, schema up to date.")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database not reachable or schema unreadable.", ex);
        }
    }
}
