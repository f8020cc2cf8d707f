using PayTrack.Data;

namespace PayTrack.Infrastructure.Live;

public static class LiveSetup
{
    /// <summary>
    /// The live-update bus: in-process on SQLite (one process owns the file), PostgreSQL LISTEN/NOTIFY on
    /// PostgreSQL, so a change made through any instance reaches streams open on every instance (ADR 0040).
    /// </summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<LocalSubscribers>();
        var database = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.IsPostgres)
        {
            var connectionString = config.GetConnectionString("Default")!;
            services.AddSingleton(sp => new PostgresLiveBus(sp.GetRequiredService<LocalSubscribers>(),
                Npgsql.NpgsqlDataSource.Create(connectionString), sp.GetRequiredService<ILogger<PostgresLiveBus>>()));
            services.AddSingleton<ILiveBus>(sp => sp.GetRequiredService<PostgresLiveBus>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveBus>());
        }
        else services.AddSingleton<ILiveBus, InProcessLiveBus>();
        return services;
    }
}
