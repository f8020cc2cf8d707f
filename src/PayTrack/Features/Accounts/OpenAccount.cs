using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Accounts;

/// <summary>Opens another wallet for the caller.</summary>
public static class OpenAccount
{
    public static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        CreateAccountRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().Require("name", request.Name, "name is required.").MaxLength("name", request.Name?.Trim(), 100);
        if (!Currency.IsSupported(request.Currency)) v.Add("currency", $"'{request.Currency}' is not a supported ISO 4217 currency code.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var me = principal.UserId();
        var name = request.Name!.Trim();
        if (await db.Accounts.AnyAsync(a => a.UserId == me && a.Name == name, ct))
            return ProblemSetup.Problem(409, "account-name-taken", "Name already used", $"You already have a wallet named '{name}'.");
        var now = clock.GetUtcNow().UtcDateTime;
        var account = AccountsEndpoints.NewWallet(me, name, Currency.Get(request.Currency!).Code, now);
        try
        {
            await Sql.InTransactionAsync(db, async c =>
            {
                db.Accounts.Add(account);
                events.AddTo(db, new DomainEvent("account.opened", me, me, "account", account.Id, new { account.Name, account.Currency }));
                return await db.SaveChangesAsync(c);
            }, ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return ProblemSetup.Problem(409, "account-name-taken", "Name already used", $"You already have a wallet named '{name}'.");
        }
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", account.ToResponse());
    }
}
