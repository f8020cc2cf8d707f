using PayTrack.Data;

namespace PayTrack.Infrastructure.Live;

/// <summary>Live-update settings (section <c>Live</c>).</summary>
public sealed class LiveOptions
{
    /// <summary>A comment line goes to an idle stream this often, so proxies and browsers keep it open (the contract asks for at most 30 s).</summary>
    public int KeepAliveSeconds { get; set; } = 15;
    public TimeSpan KeepAlive => TimeSpan.FromSeconds(Math.Clamp(KeepAliveSeconds, 1, 30));
}

public static class LiveSetup
{
    /// <summary>
    /// The live-update bus: in-process on SQLite (one process owns the file), PostgreSQL LISTEN/NOTIFY on
    /// PostgreSQL, so a change made through any instance reaches streams open on every instance (ADR 0040).
    /// </summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Live").Get<LiveOptions>() ?? new LiveOptions());
        services.AddSingleton<LocalSubscribers>();
        var database = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.IsPostgres)
        {
            var connectionString = config.GetConnectionString("Default")!;
            services.AddSingleton(sp => new PostgresLiveBus(sp.GetRequiredService<LocalSubscribers>(),
                Npgsql.NpgsqlDataSource.Create(connectionString), sp.GetRequiredService<ILogger<PostgresLiveBus>>()));
            services.AddSingleton<ILiveBus>(sp => sp.GetRequiredService<PostgresLiveBus>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveBus>());
            // Several instances may share the database: a revoked session is forgotten by all of them at once.
            services.AddHostedService<Auth.SessionCacheRelay>();
        }
        else services.AddSingleton<ILiveBus, InProcessLiveBus>();
        return services;
    }
}
