using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Me;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>
/// Changes the caller's password after checking the current one. Every other sign-in session of the
/// user ends (a stolen session does not outlive a password change); the caller's own stays.
/// </summary>
public static class ChangePassword
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        ChangePasswordRequest request, ClaimsPrincipal principal, PayTrackDb db, SessionCache cache, DomainEvents events, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        var id = principal.UserId();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return ProblemSetup.NotFound("The user");

        var v = new Validation().Require("currentPassword", request.CurrentPassword, "currentPassword is required.");
        Register.PasswordRules(v, "newPassword", request.NewPassword, user.Email);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        if (hasher.VerifyHashedPassword(user, user.PasswordHash, request.CurrentPassword!) == PasswordVerificationResult.Failed)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["currentPassword is wrong."] });
        if (request.NewPassword == request.CurrentPassword)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = ["newPassword must differ from the current password."] });

        var now = clock.GetUtcNow().UtcDateTime;
        user.PasswordHash = hasher.HashPassword(user, request.NewPassword!);
        user.UpdatedAt = now;
        var current = principal.SessionId();
        await Sql.InTransactionAsync(db, async c =>
        {
            if (db.Entry(user).State == EntityState.Detached) db.Users.Update(user); // a retried transaction starts from a clear context
            events.AddTo(db, new DomainEvent("user.password-changed", id, id, "user", id, new { otherSessionsEnded = true }));
            await db.SaveChangesAsync(c);
            return await db.Sessions.Where(s => s.UserId == id && s.Id != current && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "password-changed"), c);
        }, ct);
        cache.Forget();
        return TypedResults.NoContent();
    }
}
