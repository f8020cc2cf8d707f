namespace PayTrack.Infrastructure.Auth;

/// <summary>Token, lockout and rate-limit settings; bound from the <c>Auth</c> and <c>RateLimits</c> sections.</summary>
public sealed class AuthOptions
{
    /// <summary>Base64 HMAC key (≥ 32 bytes) for access tokens. Empty: one is generated into the data folder.</summary>
    public string? SigningKey { get; set; }
    /// <summary>
    /// Base64 keys that signed tokens before the last rotation of <see cref="SigningKey"/>: they still
    /// validate (never sign), so rotating signs no one out. Drop them after one access-token lifetime.
    /// </summary>
    public string[] PreviousSigningKeys { get; set; } = [];
    public int AccessTokenMinutes { get; set; } = 15;
    public int RefreshTokenDays { get; set; } = 30;
    public int LockoutMaxFailures { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>How long a web sign-in lasts without activity (the cookie slides while it is used).</summary>
    public int WebSessionHours { get; set; } = 12;
    /// <summary>
    /// How long a bearer token's session check is reused (0 turns the cache off). Revocations on the
    /// same instance take effect at once; other instances notice within this time.
    /// </summary>
    public int SessionCacheSeconds { get; set; } = 2;
}

public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;
    public int SignInPerMinute { get; set; } = 20;
    public int RegisterPerMinute { get; set; } = 10;
    public int ApiPerSecond { get; set; } = 100;
    public int ApiBurst { get; set; } = 200;
}
