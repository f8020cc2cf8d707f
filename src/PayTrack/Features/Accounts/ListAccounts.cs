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

/// <summary>The caller's wallets.</summary>
public static class ListAccounts
{
    public static async Task<Ok<ItemsResponse<AccountResponse>>> Handle(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.UserId == me).OrderBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(new ItemsResponse<AccountResponse>(accounts.Select(a => a.ToResponse()).ToList()));
    }
}
