namespace PayTrack.Data;

/// <summary>A person who can sign in.</summary>
public sealed class User
{
    public Guid Id { get; set; }
    public string Email { get; set; } = "";
    /// <summary>Lower-cased, trimmed e-mail: the unique, case-insensitive key.</summary>
    public string NormalizedEmail { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string DefaultCurrency { get; set; } = "USD";
    public string PasswordHash { get; set; } = "";
    public string Role { get; set; } = Domain.Roles.User;
    public string Status { get; set; } = Domain.UserStatus.Active;
    public int FailedSignIns { get; set; }
    public DateTime? LockoutEnd { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One sign-in: the family of refresh tokens it produced. Revoking it ends its access tokens too.</summary>
public sealed class Session
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}

/// <summary>A refresh token, stored only as its SHA-256 hash.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}
