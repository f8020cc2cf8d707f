using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Me;

/// <summary>Changes the caller's display name and default currency.</summary>
public static class UpdateMe
{
    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        UpdateMeRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (request.DisplayName is not null)
            v.Require("displayName", request.DisplayName, "displayName must not be empty.").MaxLength("displayName", request.DisplayName.Trim(), 100);
        if (request.DefaultCurrency is not null && !Currency.IsSupported(request.DefaultCurrency))
            v.Add("defaultCurrency", $"'{request.DefaultCurrency}' is not a supported ISO 4217 currency code.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var id = principal.UserId();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return ProblemSetup.NotFound("The user");
        if (request.DisplayName is not null) user.DisplayName = request.DisplayName.Trim();
        if (request.DefaultCurrency is not null) user.DefaultCurrency = Currency.Get(request.DefaultCurrency).Code;
        user.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await Sql.InTransactionAsync(db, c =>
        {
            if (db.Entry(user).State == EntityState.Detached) db.Users.Update(user); // a retried transaction starts from a clear context
            events.AddTo(db, new DomainEvent("user.updated", id, id, "user", id, new { user.DisplayName, user.DefaultCurrency }));
            return db.SaveChangesAsync(c);
        }, ct);
        return TypedResults.Ok(user.ToResponse());
    }
}
