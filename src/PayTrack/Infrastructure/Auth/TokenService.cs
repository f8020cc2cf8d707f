using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PayTrack.Infrastructure.Auth;

/// <summary>
/// Issues short-lived HS256 JWT access tokens (checked by ASP.NET Core's JwtBearer handler with
/// <see cref="ValidationParameters"/>) and opaque refresh tokens.
/// See docs/decisions/0004-token-design.md and 0036-jwt-bearer-with-key-rotation.md.
/// </summary>
public sealed class TokenService
{
    public const string Issuer = "paytrack";
    public const string Audience = "paytrack-api";
    /// <summary>How far a token's <c>exp</c>/<c>nbf</c> may be off the server's clock (clocks of several instances drift a little).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly TimeProvider _clock;

    public TokenService(SigningKeys keys, AuthOptions options, TimeProvider clock)
    {
        _credentials = new SigningCredentials(keys.Current, SecurityAlgorithms.HmacSha256);
        _clock = clock;
        AccessTokenLifetime = TimeSpan.FromMinutes(options.AccessTokenMinutes);
        RefreshTokenLifetime = TimeSpan.FromDays(options.RefreshTokenDays);
        ValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidTypes = ["JWT"],
            // Only the key the token names: an unknown or missing kid fails instead of trying every key.
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.Find(kid),
            TryAllIssuerSigningKeys = false,
            ClockSkew = ClockSkew,
            // The library's own check reads the system clock; this one reads the app's TimeProvider.
            LifetimeValidator = (notBefore, expires, _, _) => CheckLifetime(notBefore, expires),
            NameClaimType = JwtRegisteredClaimNames.Sub,
            RoleClaimType = "role",
        };
    }

    public TimeSpan AccessTokenLifetime { get; }
    public TimeSpan RefreshTokenLifetime { get; }

    /// <summary>What the bearer scheme checks: issuer, audience, lifetime (±<see cref="ClockSkew"/>), HS256 signature by the key named in <c>kid</c>.</summary>
    public TokenValidationParameters ValidationParameters { get; }

    private bool CheckLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        if (expires is null) throw new SecurityTokenNoExpirationException("The access token has no expiry.");
        if (notBefore is { } nbf && nbf > now + ClockSkew)
            throw new SecurityTokenNotYetValidException("The access token is not valid yet.") { NotBefore = nbf };
        if (expires.Value < now - ClockSkew)
            throw new SecurityTokenExpiredException("The access token has expired.") { Expires = expires.Value };
        return true;
    }

    public string CreateAccessToken(Guid userId, Guid sessionId, string role)
    {
        // Whole seconds, as JWT times are; the clock is the app's TimeProvider (tests move it).
        var now = DateTimeOffset.FromUnixTimeSeconds(_clock.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + AccessTokenLifetime,
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                ["sid"] = sessionId.ToString(),
                ["role"] = role,
            },
        });
    }

    /// <summary>A new opaque refresh token (256 random bits) and the hash that is stored.</summary>
    public static (string Token, string Hash) CreateRefreshToken()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, HashRefreshToken(token));
    }

    public static string HashRefreshToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
