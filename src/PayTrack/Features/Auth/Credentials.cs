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
        if (user is null) return await CheckUnknownAsync(normalized, password, db, hasher, options, now, ct);

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

    /// <summary>
    /// An e-mail without an account gets the answers a real one would: each attempt costs a hash check, failures
    /// are counted in <c>sign_in_failures</c> and lock the e-mail out for the same time, so neither timing nor
    /// the lockout tells which e-mails have accounts.
    /// </summary>
    private static async Task<CredentialCheck> CheckUnknownAsync(
        string normalized, string password, PayTrackDb db, IPasswordHasher<User> hasher, AuthOptions options, DateTime now, CancellationToken ct)
    {
        var sql = new Sql(db);
        var lockoutEnd = (await sql.QueryAsync("SELECT lockout_end FROM sign_in_failures WHERE normalized_email = @p0", [normalized],
            r => r.IsDBNull(0) ? (DateTime?)null : Sql.ReadDate(r, 0), ct)).FirstOrDefault();
        if (lockoutEnd is { } end && end > now) return new CredentialCheck(CredentialOutcome.Locked, LockedFor: end - now);

        hasher.VerifyHashedPassword(new User(), DummyHash, password);
        await sql.WriteAsync(
            "INSERT INTO sign_in_failures (normalized_email, failures, lockout_end, updated_at) VALUES (@p0, 1, NULL, @p1) " +
            "ON CONFLICT (normalized_email) DO UPDATE SET failures = sign_in_failures.failures + 1, updated_at = @p1", [normalized, now], ct);
        await sql.WriteAsync(
            "UPDATE sign_in_failures SET lockout_end = @p1, failures = 0 WHERE normalized_email = @p0 AND failures >= @p2",
            [normalized, now.AddMinutes(options.LockoutMinutes), options.LockoutMaxFailures], ct);
        // Keep the table small: forget e-mails that have not failed for a day and are not locked out.
        if (Random.Shared.Next(100) == 0)
            await sql.WriteAsync("DELETE FROM sign_in_failures WHERE updated_at < @p0 AND (lockout_end IS NULL OR lockout_end < @p1)", [now.AddDays(-1), now], ct);
        return new CredentialCheck(CredentialOutcome.Invalid);
    }

    /// <summary>Adds a new sign-in session for <paramref name="user"/> (saved with the caller's next SaveChanges).</summary>
    public static Session StartSession(PayTrackDb db, User user, DateTime now)
    {
        var session = new Session { Id = Guid.CreateVersion7(), UserId = user.Id, CreatedAt = now };
        db.Sessions.Add(session);
        return session;
    }
}
