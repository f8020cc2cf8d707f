using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Auth;

public sealed record LogoutRequest(string? RefreshToken);

/// <summary>Ends the caller's current session and the one the refresh token belongs to (if it is the caller's).</summary>
public static class Logout
{
    public static async Task<NoContent> Handle(LogoutRequest? request, ClaimsPrincipal principal, PayTrackDb db, SessionCache cache, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var sessions = new List<Guid> { principal.SessionId() };
        if (!string.IsNullOrEmpty(request?.RefreshToken))
        {
            var hash = TokenService.HashRefreshToken(request.RefreshToken);
            var sessionId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.SessionId).FirstOrDefaultAsync(ct);
            if (sessionId is { } id) sessions.Add(id);
        }
        await RevokeAsync(db, cache, userId, sessions, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Revokes the user's own <paramref name="sessions"/>; the web sign-out uses it too.</summary>
    public static async Task<int> RevokeAsync(PayTrackDb db, SessionCache cache, Guid userId, IReadOnlyCollection<Guid> sessions, DateTime now, CancellationToken ct)
    {
        var ended = await db.Sessions.Where(s => sessions.Contains(s.Id) && s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "logout"), ct);
        cache.Forget();
        return ended;
    }
}
