using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Auth;

/// <summary>What sign-in and refresh answer.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

internal static class SessionTokens
{
    /// <summary>Adds a refresh token to <paramref name="session"/> (not saved yet) and issues the pair.</summary>
    public static TokenResponse Issue(PayTrackDb db, TokenService tokens, Session session, User user, DateTime now)
    {
        var (refresh, hash) = TokenService.CreateRefreshToken();
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            SessionId = session.Id,
            TokenHash = hash,
            CreatedAt = now,
            ExpiresAt = now + tokens.RefreshTokenLifetime,
        });
        return new TokenResponse(
            tokens.CreateAccessToken(user.Id, session.Id, user.Role),
            "Bearer",
            (int)tokens.AccessTokenLifetime.TotalSeconds,
            refresh);
    }
}
