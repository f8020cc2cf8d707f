using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Audit;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Accounts;

/// <summary>One of the caller's wallets, with balance and available amount.</summary>
public static class GetAccount
{
    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.UserId == me, ct);
        return account is null ? ProblemSetup.NotFound("The account") : TypedResults.Ok(account.ToResponse());
    }
}
