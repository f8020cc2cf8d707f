namespace PayTrack.Infrastructure.Outbox;

public static class OutboxSetup
{
    /// <summary>The outbox: <see cref="DomainEvents"/> for use cases, the dispatcher, and its settings (section <c>Outbox</c>).</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Outbox").Get<OutboxOptions>() ?? new OutboxOptions());
        services.AddScoped<DomainEvents>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }
}
