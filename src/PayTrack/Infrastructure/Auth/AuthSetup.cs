using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using PayTrack.Data;
using PayTrack.Domain;

namespace PayTrack.Infrastructure.Auth;

public static class AuthSetup
{
    public const string AdminPolicy = "admin";
    public const string SignInLimit = "sign-in";
    public const string RegisterLimit = "register";

    public static IServiceCollection AddPayTrackAuth(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var auth = config.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        var limits = config.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(auth);
        services.AddSingleton(limits);
        services.AddSingleton(sp =>
        {
            var dataDir = DatabaseSetup.ResolveDataDirectory(sp.GetRequiredService<DatabaseOptions>(), env);
            return new TokenService(TokenService.LoadOrCreateKey(auth, dataDir), auth, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();

        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? Math.Max(1, (int)Math.Ceiling(ra.TotalSeconds)) : 1;
                ctx.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails =
                    {
                        Status = 429, Type = "/problems/rate-limited", Title = "Too many requests",
                        Detail = $"Too many requests; try again in {retryAfter} second(s).",
                    },
                });
            };
            o.AddPolicy(SignInLimit, http => PerIpPerMinute(http, limits, limits.SignInPerMinute));
            o.AddPolicy(RegisterLimit, http => PerIpPerMinute(http, limits, limits.RegisterPerMinute));
            if (!limits.Enabled) return;
            // Per signed-in user, a token bucket: a steady rate with room for bursts.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var user = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
                return user is null
                    ? RateLimitPartition.GetNoLimiter("anonymous")
                    : RateLimitPartition.GetTokenBucketLimiter(user, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.ApiBurst,
                        TokensPerPeriod = limits.ApiPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
        });
        return services;
    }

    private static RateLimitPartition<string> PerIpPerMinute(HttpContext http, RateLimitOptions limits, int permits) =>
        limits.Enabled
            ? RateLimitPartition.GetFixedWindowLimiter(ClientIp(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter("off");

    private static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
