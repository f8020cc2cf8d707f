using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
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
        services.AddSingleton<SessionCache>();
        services.AddSingleton(sp => SigningKeys.Load(auth, DatabaseSetup.ResolveDataDirectory(sp.GetRequiredService<DatabaseOptions>(), env)));
        services.AddSingleton<TokenService>();
        services.AddSingleton<BearerTokenEvents>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();

        // /api speaks Bearer only (401 problem + WWW-Authenticate, never a redirect, and no cookie, so no
        // CSRF on the API); every other path is the web UI and uses the session cookie. ADR 0021.
        services.AddAuthentication(WebSessionCookie.SelectorScheme)
            .AddPolicyScheme(WebSessionCookie.SelectorScheme, "API bearer or web cookie", o =>
                o.ForwardDefaultSelector = http => WebSessionCookie.IsApiRequest(http) ? BearerTokenEvents.SchemeName : WebSessionCookie.SchemeName)
            .AddJwtBearer(BearerTokenEvents.SchemeName, o =>
            {
                o.EventsType = typeof(BearerTokenEvents);
                o.MapInboundClaims = false;
                o.SaveToken = false;
            })
            .AddCookie(WebSessionCookie.SchemeName, o => WebSessionCookie.Configure(o, auth));
        // Keys and clock live in DI (the generated key file sits in the data folder), so the validation
        // parameters are filled in once the container is built. ADR 0036.
        services.AddOptions<JwtBearerOptions>(BearerTokenEvents.SchemeName)
            .Configure<TokenService>((o, tokens) => o.TokenValidationParameters = tokens.ValidationParameters);
        // Cookies and antiforgery tokens are sealed with these keys; kept in the data folder so a restart keeps everyone signed in.
        services.AddDataProtection()
            .SetApplicationName("PayTrack")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(
                DatabaseSetup.ResolveDataDirectory(config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions(), env), "keys", "data-protection")));
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var ra) ? Math.Max(1, (int)Math.Ceiling(ra.TotalSeconds)) : 1;
                ctx.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                if (!WebSessionCookie.IsApiRequest(ctx.HttpContext))
                {
                    // A person at a browser gets words, not JSON.
                    ctx.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                    await ctx.HttpContext.Response.WriteAsync(
                        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Too many attempts – PayTrack</title>" +
                        $"<body><h1>Too many attempts</h1><p>Please wait {retryAfter} second(s) and try again.</p><p><a href=\"/\">Back to PayTrack</a></p></body></html>", ct);
                    return;
                }
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

    // Only submissions count: the web sign-in and registration pages share these limits with the API,
    // and merely showing the form must not use them up.
    private static RateLimitPartition<string> PerIpPerMinute(HttpContext http, RateLimitOptions limits, int permits) =>
        limits.Enabled && HttpMethods.IsPost(http.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(ClientIp(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter("off");

    private static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
