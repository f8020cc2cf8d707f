using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Auth;

public sealed record TokenRequest(string? Email, string? Password, string? Totp);

/// <summary>Password sign-in with per-account lockout.</summary>
public static class IssueToken
{
    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        TokenRequest request, PayTrackDb db, IPasswordHasher<User> hasher, TokenService tokens, AuthOptions options,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var v = new Validation().Require("email", request.Email, "email is required.").Require("password", request.Password, "password is required.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var check = await Credentials.CheckAsync(request.Email!, request.Password!, db, hasher, options, now, ct);
        switch (check.Outcome)
        {
            case CredentialOutcome.Invalid: return InvalidCredentials();
            case CredentialOutcome.Locked: return Locked(http, check.LockedFor);
            case CredentialOutcome.NotActive:
                return ProblemSetup.Problem(403, $"account-{check.User!.Status}", "Account not active", $"This account is {check.User.Status}; it cannot sign in.");
        }

        var user = check.User!;
        var session = Credentials.StartSession(db, user, now);
        var response = SessionTokens.Issue(db, tokens, session, user, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(response);
    }

    private static ProblemHttpResult InvalidCredentials() =>
        ProblemSetup.Problem(401, "invalid-credentials", "Invalid credentials", "The e-mail or password is wrong.");

    /// <summary>Whole seconds left of a lockout, at least one.</summary>
    public static int LockoutSeconds(TimeSpan remaining) => Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds));

    private static ProblemHttpResult Locked(HttpContext http, TimeSpan remaining)
    {
        var seconds = LockoutSeconds(remaining);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ProblemSetup.Problem(423, "account-locked", "Account locked",
            $"Too many failed sign-ins; this account is locked for {seconds} more second(s).");
    }
}
