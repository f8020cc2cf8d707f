using PayTrack.Data;
using PayTrack.Features.Audit;
using PayTrack.Features.Auth;
using PayTrack.Features.Transfers;
using PayTrack.Features.Payments;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Payments;

namespace PayTrack.Features.Accounts;

public static class LedgerSetup
{
    /// <summary>The money core's services and background workers.</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<Sql>();
        services.AddScoped<LedgerBook>();
        services.AddScoped<TransferEngine>();
        services.AddScoped<AuditLog>();
        services.AddScoped<IdempotencyStore>();
        services.AddSingleton<IdempotencyInFlight>();
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<AccountQueue>();
        services.AddScoped<IUserProvisioner, MainWalletProvisioner>();
        services.AddHostedService<AuditSealer>();
        services.AddHostedService<HoldExpiryWorker>();
        services.AddSingleton<IdempotencyKeyCleaner>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyKeyCleaner>());
        services.AddPayments(config);
        return services;
    }

    private static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Payments").Get<PaymentsOptions>() ?? new PaymentsOptions();
        services.AddSingleton(options);
        var secret = string.IsNullOrWhiteSpace(options.WebhookSecret)
            ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)
            : System.Text.Encoding.UTF8.GetBytes(options.WebhookSecret);
        services.AddSingleton(new CallbackSigner(secret));
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            services.AddSingleton<SandboxProvider>();
            services.AddHostedService(sp => sp.GetRequiredService<SandboxProvider>());
        }
        services.AddSingleton(sp =>
        {
            var baseUrl = string.IsNullOrWhiteSpace(options.BaseUrl) ? sp.GetRequiredService<SandboxProvider>().BaseUrl : options.BaseUrl;
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(2) })
            {
                BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"),
                Timeout = Timeout.InfiniteTimeSpan, // the resilience pipeline owns timeouts
            };
            return new PaymentProviderClient(http, options, sp.GetRequiredService<ILogger<PaymentProviderClient>>());
        });
        services.AddScoped<PaymentService>();
        services.AddSingleton<PaymentReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentReconciler>());
        return services;
    }
}
