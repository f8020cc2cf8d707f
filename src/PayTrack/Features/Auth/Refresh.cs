using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Auth;

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>Rotates a refresh token; presenting a used one ends the whole session (reuse detection).</summary>
public static class Refresh
{
    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RefreshRequest request, PayTrackDb db, SessionCache cache, TokenService tokens, TimeProvider clock, ILogger<RefreshRequest> logger, CancellationToken ct)
    {
        var v = new Validation().Require("refreshToken", request.RefreshToken, "refreshToken is required.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var hash = TokenService.HashRefreshToken(request.RefreshToken!);
        var found = await db.RefreshTokens
            .Where(t => t.TokenHash == hash)
            .Join(db.Sessions.Include(s => s.User), t => t.SessionId, s => s.Id, (t, s) => new { Token = t, Session = s })
            .FirstOrDefaultAsync(ct);
        if (found is null) return Refused("The refresh token is not valid.");

        var (token, session) = (found.Token, found.Session);
        if (token.UsedAt is not null)
        {
            await RevokeForReuseAsync(db, cache, session.Id, now, ct);
            logger.LogWarning("Refresh token reuse detected for session {SessionId}; session revoked", session.Id);
            return Refused("This refresh token was already used; the session has been ended for safety. Sign in again.");
        }
        if (session.RevokedAt is not null) return Refused("The session has ended; sign in again.");
        if (token.ExpiresAt <= now) return Refused("The refresh token has expired; sign in again.");
        if (session.User.Status != UserStatus.Active) return Refused($"The account is {session.User.Status}.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Claim the token with a conditional update: of two concurrent refreshes only one wins.
        var claimed = await db.RefreshTokens.Where(t => t.Id == token.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        if (claimed == 0)
        {
            await tx.RollbackAsync(ct);
            await RevokeForReuseAsync(db, cache, session.Id, now, ct);
            return Refused("This refresh token was already used; the session has been ended for safety. Sign in again.");
        }
        var response = SessionTokens.Issue(db, tokens, session, session.User, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(response);
    }

    private static async Task RevokeForReuseAsync(PayTrackDb db, SessionCache cache, Guid sessionId, DateTime now, CancellationToken ct)
    {
        await db.Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "refresh-token-reuse"), ct);
        cache.Forget();
    }

    private static ProblemHttpResult Refused(string detail) =>
        ProblemSetup.Problem(401, "invalid-refresh-token", "Invalid refresh token", detail);
}
