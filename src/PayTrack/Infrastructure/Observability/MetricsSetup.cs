using System.Diagnostics.Metrics;
using System.Net;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace PayTrack.Infrastructure.Observability;

/// <summary>Metrics settings; bound from the <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>Networks (CIDR, or single addresses) besides loopback that may read <c>/metrics</c>.</summary>
    public string[] AllowedNetworks { get; set; } = [];
}

/// <summary>
/// <c>GET /metrics</c> in Prometheus text format, through OpenTelemetry: ASP.NET Core's and
/// HttpClient's built-in meters, Npgsql's connection-pool meter, and PayTrack's own
/// (<see cref="PayTrackMeter"/>). Only loopback and <c>Metrics:AllowedNetworks</c> are answered;
/// everyone else gets the 404 of a path that does not exist. See docs/decisions/0033-metrics.md.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static IServiceCollection AddPayTrackMetrics(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Metrics").Get<MetricsOptions>() ?? new MetricsOptions();
        services.AddSingleton(new MetricsAccess(options.AllowedNetworks));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("paytrack"))
            .WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddMeter("Npgsql")
            .AddMeter(PayTrackMeter.Name)
            // One scraper every few seconds: no need to cache the answer, and tests read it fresh.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>Answers <c>/metrics</c> to allowed addresses; for anyone else the request goes on and finds no endpoint (404).</summary>
    public static IApplicationBuilder UsePayTrackMetrics(this IApplicationBuilder app)
    {
        var access = app.ApplicationServices.GetRequiredService<MetricsAccess>();
        return app.UseOpenTelemetryPrometheusScrapingEndpoint(
            http => http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase) && access.Allows(http.Connection.RemoteIpAddress));
    }
}

/// <summary>PayTrack's own meter; features create their instruments on it.</summary>
public static class PayTrackMeter
{
    public const string Name = "PayTrack";
    public static readonly Meter Meter = new(Name);
}

/// <summary>
/// Who may read <c>/metrics</c>: loopback and the configured networks. The address is the connection's,
/// as the forwarded-headers middleware left it: behind a trusted proxy (<c>ForwardedHeaders:KnownProxies</c>)
/// that is the client the proxy names, so a proxy on the same machine does not make every client "local".
/// </summary>
public sealed class MetricsAccess
{
    private readonly IPNetwork[] _networks;

    public MetricsAccess(IEnumerable<string> allowedNetworks)
    {
        _networks = allowedNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(Parse).ToArray();
    }

    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        foreach (var network in _networks)
            if (network.Contains(address)) return true;
        return false;
    }

    private static IPNetwork Parse(string text)
    {
        text = text.Trim();
        if (IPNetwork.TryParse(text, out var network)) return network;
        if (IPAddress.TryParse(text, out var single)) return new IPNetwork(single, single.GetAddressBytes().Length * 8);
        throw new InvalidOperationException($"Metrics:AllowedNetworks: '{text}' is not a network in CIDR notation (e.g. 10.0.0.0/8) or an address.");
    }
}
