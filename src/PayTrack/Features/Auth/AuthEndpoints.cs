using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Auth;

public static class AuthEndpoints
{
    /// <summary>Registration, sign-in and token refresh (anonymous, rate limited per IP) and sign-out.</summary>
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/register", Register.Handle).AllowAnonymous().RequireRateLimiting(AuthSetup.RegisterLimit)
            .WithSummary("Create an account; the first account ever is the admin.");
        group.MapPost("/token", IssueToken.Handle).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .WithSummary("Sign in with e-mail and password; answers an access and a refresh token.");
        group.MapPost("/refresh", Refresh.Handle).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .WithSummary("Trade a refresh token for a new pair; the old one stops working.");
        group.MapPost("/logout", Logout.Handle).RequireAuthorization()
            .WithSummary("End the sign-in session the refresh token belongs to.");
        return app;
    }
}
