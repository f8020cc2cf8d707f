using System.Security.Claims;

namespace PayTrack.Infrastructure.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id; only call on endpoints that require authorization.</summary>
    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    public static Guid SessionId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue("sid")!);
}
