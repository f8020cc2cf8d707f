using PayTrack.Data;

namespace PayTrack.Features.Auth;

/// <summary>A user as the API shows it.</summary>
public sealed record UserResponse(Guid Id, string Email, string DisplayName, string DefaultCurrency, string[] Roles, string Status, DateTime CreatedAt);

public static class UserMapping
{
    public static UserResponse ToResponse(this User u) =>
        new(u.Id, u.Email, u.DisplayName, u.DefaultCurrency, [u.Role], u.Status, u.CreatedAt);
}
