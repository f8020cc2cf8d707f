using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PayTrack.Infrastructure.Auth;

/// <summary>The claims an access token carries.</summary>
public sealed record AccessTokenClaims(
    [property: JsonPropertyName("sub")] Guid UserId,
    [property: JsonPropertyName("sid")] Guid SessionId,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("iss")] string Issuer);

/// <summary>
/// Issues and checks short-lived HS256 JWT access tokens and opaque refresh tokens.
/// See docs/decisions/0004-token-design.md.
/// </summary>
public sealed class TokenService
{
    public const string Issuer = "paytrack";
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}""");
    private readonly byte[] _key;
    private readonly string _encodedHeader = Base64Url.EncodeToString(Header);
    private readonly TimeProvider _clock;

    public TokenService(byte[] key, AuthOptions options, TimeProvider clock)
    {
        if (key.Length < 32) throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes.");
        _key = key;
        _clock = clock;
        AccessTokenLifetime = TimeSpan.FromMinutes(options.AccessTokenMinutes);
        RefreshTokenLifetime = TimeSpan.FromDays(options.RefreshTokenDays);
    }

    public TimeSpan AccessTokenLifetime { get; }
    public TimeSpan RefreshTokenLifetime { get; }

    public string CreateAccessToken(Guid userId, Guid sessionId, string role)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var claims = new AccessTokenClaims(userId, sessionId, role, now, now + (long)AccessTokenLifetime.TotalSeconds, Issuer);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        var unsigned = $"{_encodedHeader}.{payload}";
        return $"{unsigned}.{Base64Url.EncodeToString(Sign(unsigned))}";
    }

    /// <summary>The token's claims when its signature, issuer and expiry hold; otherwise null.</summary>
    public AccessTokenClaims? Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != _encodedHeader) return null;
        byte[] signature;
        try { signature = Base64Url.DecodeFromChars(parts[2]); }
        catch (FormatException) { return null; }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign($"{parts[0]}.{parts[1]}"))) return null;
        try
        {
            var claims = JsonSerializer.Deserialize<AccessTokenClaims>(Base64Url.DecodeFromChars(parts[1]));
            if (claims is null || claims.Issuer != Issuer) return null;
            return claims.ExpiresAt > _clock.GetUtcNow().ToUnixTimeSeconds() ? claims : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException) { return null; }
    }

    /// <summary>A new opaque refresh token (256 random bits) and the hash that is stored.</summary>
    public static (string Token, string Hash) CreateRefreshToken()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, HashRefreshToken(token));
    }

    public static string HashRefreshToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private byte[] Sign(string data) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(data));

    /// <summary>The configured key, or one generated once and kept in the data folder (mode 600).</summary>
    public static byte[] LoadOrCreateKey(AuthOptions options, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey)) return Convert.FromBase64String(options.SigningKey);
        var dir = Path.Combine(dataDirectory, "keys");
        var path = Path.Combine(dir, "token-signing.key");
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        Directory.CreateDirectory(dir);
        var key = RandomNumberGenerator.GetBytes(64);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try { File.Move(tmp, path); }
        catch (IOException) { File.Delete(tmp); return Convert.FromBase64String(File.ReadAllText(path).Trim()); }
        return key;
    }
}
