using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Auth;

public sealed record TokenRequest(string? Email, string? Password, string? Totp);

/// <summary>Password sign-in with per-account lockout.</summary>
public static class IssueToken
{
    // Verifying against this when the e-mail is unknown keeps the answer's timing the same.
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(new User(), "not-a-real-password-" + Guid.NewGuid());

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        TokenRequest request, PayTrackDb db, IPasswordHasher<User> hasher, TokenService tokens, AuthOptions options,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var v = new Validation().Require("email", request.Email, "email is required.").Require("password", request.Password, "password is required.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var normalized = Register.NormalizeEmail(request.Email!);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new User(), DummyHash, request.Password!);
            return InvalidCredentials();
        }

        if (user.LockoutEnd is { } end && end > now) return Locked(http, end - now);

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Counted in the database, atomically, so parallel guesses cannot slip past the limit.
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), ct);
            await db.Users.Where(u => u.Id == user.Id && u.FailedSignIns >= options.LockoutMaxFailures)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.LockoutEnd, now.AddMinutes(options.LockoutMinutes))
                    .SetProperty(u => u.FailedSignIns, 0), ct);
            return InvalidCredentials();
        }

        if (user.Status != UserStatus.Active)
            return ProblemSetup.Problem(403, $"account-{user.Status}", "Account not active", $"This account is {user.Status}; it cannot sign in.");

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, request.Password!);
        user.FailedSignIns = 0;
        user.LockoutEnd = null;
        var session = new Session { Id = Guid.CreateVersion7(), UserId = user.Id, CreatedAt = now };
        db.Sessions.Add(session);
        var response = SessionTokens.Issue(db, tokens, session, user, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(response);
    }

    private static ProblemHttpResult InvalidCredentials() =>
        ProblemSetup.Problem(401, "invalid-credentials", "Invalid credentials", "The e-mail or password is wrong.");

    private static ProblemHttpResult Locked(HttpContext http, TimeSpan remaining)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ProblemSetup.Problem(423, "account-locked", "Account locked",
            $"Too many failed sign-ins; this account is locked for {seconds} more second(s).");
    }
}
