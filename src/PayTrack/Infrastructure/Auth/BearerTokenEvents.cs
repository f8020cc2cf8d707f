using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PayTrack.Data;
using PayTrack.Domain;

namespace PayTrack.Infrastructure.Auth;

/// <summary>
/// PayTrack's part of the JwtBearer scheme. The handler checks signature, key id, issuer, audience
/// and lifetime (<see cref="TokenService.ValidationParameters"/>); then <see cref="TokenValidated"/>
/// reads the session and its user by primary key (reused for a few seconds through
/// <see cref="SessionCache"/>), so a revoked session or a suspended user is refused from the next
/// request on. Refusals are RFC 9457 problems with <c>WWW-Authenticate: Bearer</c>.
/// </summary>
public sealed class BearerTokenEvents(SessionCache sessions, IProblemDetailsService problems) : JwtBearerEvents
{
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;

    public override Task MessageReceived(MessageReceivedContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (!string.IsNullOrEmpty(header) && !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            context.Fail(new Refusal("The Authorization header must use the Bearer scheme."));
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken jwt
            || !Guid.TryParse(jwt.Subject, out var userId)
            || !jwt.TryGetPayloadValue<string>("sid", out var sid) || !Guid.TryParse(sid, out var sessionId))
        {
            context.Fail(new Refusal("The access token does not name a user and a session."));
            return;
        }

        var role = sessions.Find(sessionId, userId);
        if (role is null)
        {
            var generation = sessions.Generation;
            var db = context.HttpContext.RequestServices.GetRequiredService<PayTrackDb>();
            var state = await db.Sessions.AsNoTracking()
                .Where(s => s.Id == sessionId && s.UserId == userId)
                .Select(s => new { s.RevokedAt, s.User.Status, s.User.Role })
                .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
            if (state is null || state.RevokedAt is not null)
            {
                context.Fail(new Refusal("The session behind this access token has ended; sign in again."));
                return;
            }
            if (state.Status != UserStatus.Active)
            {
                context.Fail(new Refusal($"The account is {state.Status}."));
                return;
            }
            sessions.Remember(sessionId, userId, state.Role, generation);
            role = state.Role;
        }

        // The role comes from the database, not the token, so a demotion applies at once.
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, userId.ToString()),
            new Claim("sid", sessionId.ToString()),
            new Claim(ClaimTypes.Role, role),
        ], SchemeName));
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var reason = context.AuthenticateFailure switch
        {
            null => null,
            Refusal r => r.Message,
            SecurityTokenExpiredException => "The access token has expired.",
            _ => "The access token is invalid or has expired.",
        };
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = reason is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{reason.Replace("\"", "'", StringComparison.Ordinal)}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = reason ?? "A valid bearer access token is required." },
        });
    }

    public override async Task Forbidden(ForbiddenContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = { Status = 403, Title = "Forbidden", Detail = "Your role does not allow this." },
        });
    }

    /// <summary>A refusal whose message is safe to show the caller.</summary>
    private sealed class Refusal(string message) : Exception(message);
}
