using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Auth;

public static class AuthEndpoints
{
    /// <summary>Registration, sign-in and token refresh (anonymous, rate limited per IP) and sign-out.</summary>
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/register", Register.Handle).AllowAnonymous().RequireRateLimiting(AuthSetup.RegisterLimit)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create an account; the first account ever is the admin.")
            .WithDescription("E-mail is case-insensitive and unique (409 /problems/email-taken); the password has at least 10 characters and differs from the e-mail. A wallet named Main is opened in defaultCurrency (default USD). Rate limited per IP.");
        group.MapPost("/token", IssueToken.Handle).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status423Locked)
            .WithSummary("Sign in with e-mail and password; answers an access and a refresh token.")
            .WithDescription("Wrong credentials: 401, the same whether or not the e-mail exists. A suspended or closed account: 403. After repeated failures the account is locked (423 or 429 with Retry-After), even for the right password, until the lockout ends.");
        group.MapPost("/refresh", Refresh.Handle).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Trade a refresh token for a new pair; the old one stops working.")
            .WithDescription("Presenting a refresh token that was already used answers 401 and revokes every refresh token of that sign-in.");
        group.MapPost("/logout", Logout.Handle).RequireAuthorization()
            .WithSummary("Sign out: the current session ends, and the one the refresh token belongs to.");
        return app;
    }
}
