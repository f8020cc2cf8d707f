using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Auth;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName, string? DefaultCurrency);

/// <summary>Creates a user; the first one ever registered becomes the admin.</summary>
public static class Register
{
    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RegisterRequest request, PayTrackDb db, IPasswordHasher<User> hasher, TimeProvider clock,
        IEnumerable<IUserProvisioner> provisioners, DomainEvents events, CancellationToken ct)
    {
        var v = Validate(request);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var email = request.Email!.Trim();
        var normalized = NormalizeEmail(email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct)) return EmailTaken();

        var now = clock.GetUtcNow().UtcDateTime;
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = normalized,
            DisplayName = request.DisplayName!.Trim(),
            DefaultCurrency = Currency.Get(request.DefaultCurrency ?? "USD").Code,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);

        try
        {
            await Sql.InTransactionAsync(db, async c =>
            {
                // The unique key makes "first" race-free on both databases.
                var claimed = await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO app_flags (key, value) VALUES ('first-admin', {user.Id.ToString()}) ON CONFLICT (key) DO NOTHING", c);
                user.Role = claimed == 1 ? Roles.Admin : Roles.User;
                db.Users.Add(user);
                events.AddTo(db, new DomainEvent("user.registered", user.Id, user.Id, "user", user.Id, new { user.Email, user.Role, user.DefaultCurrency }));
                await db.SaveChangesAsync(c);
                foreach (var provisioner in provisioners) await provisioner.ProvisionAsync(db, user, c);
                return await db.SaveChangesAsync(c);
            }, ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return EmailTaken();
        }
        return TypedResults.Created($"/api/v1/me", user.ToResponse());
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    private static ProblemHttpResult EmailTaken() =>
        ProblemSetup.Problem(409, "email-taken", "E-mail already registered", "An account with this e-mail already exists.");

    internal static Validation Validate(RegisterRequest r)
    {
        var v = new Validation();
        if (string.IsNullOrWhiteSpace(r.Email)) v.Add("email", "email is required.");
        else if (!IsEmail(r.Email)) v.Add("email", "email is not a valid e-mail address.");
        else v.MaxLength("email", r.Email.Trim(), 254);
        PasswordRules(v, "password", r.Password, r.Email);
        v.Require("displayName", r.DisplayName, "displayName is required.").MaxLength("displayName", r.DisplayName?.Trim(), 100);
        if (r.DefaultCurrency is not null && !Currency.IsSupported(r.DefaultCurrency))
            v.Add("defaultCurrency", $"'{r.DefaultCurrency}' is not a supported ISO 4217 currency code.");
        return v;
    }

    internal static void PasswordRules(Validation v, string field, string? password, string? email)
    {
        if (string.IsNullOrEmpty(password)) v.Add(field, "password is required.");
        else if (password.Length < 10) v.Add(field, "password must be at least 10 characters long.");
        else if (password.Length > 256) v.Add(field, "password must be at most 256 characters long.");
        else if (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
            v.Add(field, "password must not be the same as the e-mail address.");
    }

    private static bool IsEmail(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Contains(' ', StringComparison.Ordinal) || !trimmed.Contains('@', StringComparison.Ordinal)) return false;
        try { return new MailAddress(trimmed).Address == trimmed && trimmed.Split('@')[1].Contains('.', StringComparison.Ordinal); }
        catch (FormatException) { return false; }
    }
}
