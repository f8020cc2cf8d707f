using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Auth;

/// <summary>What a password check concluded.</summary>
public enum CredentialOutcome { Valid, Invalid, Locked, NotActive }

/// <summary>The verdict on an e-mail and password; <see cref="User"/> is tracked and set only when <see cref="Outcome"/> is Valid or NotActive.</summary>
public sealed record CredentialCheck(CredentialOutcome Outcome, User? User = null, TimeSpan LockedFor = default);

/// <summary>
/// Password verification with per-account lockout, shared by the API's token endpoint and the
/// web sign-in page so both count failures and honour lockouts the same way.
/// </summary>
public static class Credentials
{
    // Verifying against this when the e-mail is unknown keeps the answer's timing the same.
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(new User(), "not-a-real-password-" + Guid.NewGuid());

    public static async Task<CredentialCheck> CheckAsync(
        string email, string password, PayTrackDb db, IPasswordHasher<User> hasher, AuthOptions options, DateTime now, CancellationToken ct)
    {
        var normalized = Register.NormalizeEmail(email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new User(), DummyHash, password);
            return new CredentialCheck(CredentialOutcome.Invalid);
        }

        if (user.LockoutEnd is { } end && end > now) return new CredentialCheck(CredentialOutcome.Locked, LockedFor: end - now);

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Counted in the database, atomically, so parallel guesses cannot slip past the limit.
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1), ct);
            await db.Users.Where(u => u.Id == user.Id && u.FailedSignIns >= options.LockoutMaxFailures)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.LockoutEnd, now.AddMinutes(options.LockoutMinutes))
                    .SetProperty(u => u.FailedSignIns, 0), ct);
            return new CredentialCheck(CredentialOutcome.Invalid);
        }

        if (user.Status != UserStatus.Active) return new CredentialCheck(CredentialOutcome.NotActive, user);

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        user.FailedSignIns = 0;
        user.LockoutEnd = null;
        return new CredentialCheck(CredentialOutcome.Valid, user);
    }

    /// <summary>Adds a new sign-in session for <paramref name="user"/> (saved with the caller's next SaveChanges).</summary>
    public static Session StartSession(PayTrackDb db, User user, DateTime now)
    {
        var session = new Session { Id = Guid.CreateVersion7(), UserId = user.Id, CreatedAt = now };
        db.Sessions.Add(session);
        return session;
    }
}
