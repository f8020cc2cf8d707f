using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PayTrack.Data;
using PayTrack.Domain;

namespace PayTrack.Infrastructure.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> access tokens: signature and expiry first, then one
/// primary-key read (reused for a few seconds through <see cref="SessionCache"/>) so that a revoked
/// session or a suspended user is refused from the next request on.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenService tokens,
    PayTrackDb db,
    SessionCache sessions,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureKey = "paytrack.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Fail("The Authorization header must use the Bearer scheme.");

        var claims = tokens.Validate(header["Bearer ".Length..].Trim());
        if (claims is null) return Fail("The access token is invalid or has expired.");

        var role = sessions.Find(claims.SessionId, claims.UserId);
        if (role is null)
        {
            var generation = sessions.Generation;
            var state = await db.Sessions.AsNoTracking()
                .Where(s => s.Id == claims.SessionId && s.UserId == claims.UserId)
                .Select(s => new { s.RevokedAt, s.User.Status, s.User.Role })
                .FirstOrDefaultAsync(Context.RequestAborted);
            if (state is null || state.RevokedAt is not null) return Fail("The session behind this access token has ended; sign in again.");
            if (state.Status != UserStatus.Active) return Fail($"The account is {state.Status}.");
            sessions.Remember(claims.SessionId, claims.UserId, state.Role, generation);
            role = state.Role;
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, claims.UserId.ToString()),
            new Claim("sid", claims.SessionId.ToString()),
            new Claim(ClaimTypes.Role, role),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[FailureKey] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = reason is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{reason.Replace("\"", "'", StringComparison.Ordinal)}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = reason ?? "A valid bearer access token is required." },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 403, Title = "Forbidden", Detail = "Your role does not allow this." },
        });
    }
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id; only call on endpoints that require authorization.</summary>
    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    public static Guid SessionId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue("sid")!);
}
