using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain.Ledger;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Transfers;

/// <summary>The caller's transfers, sent or received, newest first, paged.</summary>
public static class ListTransfers
{
    public static async Task<Results<Ok<Page<TransferResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid? accountId, string? status, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (status is not null && !TransferStatus.All.Contains(status)) v.Add("status", $"status must be one of {string.Join(", ", TransferStatus.All)}.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var me = principal.UserId();

        var query = db.Transfers.AsNoTracking();
        if (accountId is { } acc)
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == acc && a.UserId == me, ct)) return ProblemSetup.NotFound("The account");
            query = query.Where(t => t.FromAccountId == acc || t.ToAccountId == acc);
        }
        else query = query.Where(t => t.FromUserId == me || t.ToUserId == me);
        if (status is not null) query = query.Where(t => t.Status == status);
        if (after is { } a) query = query.Where(t => t.Id.CompareTo(a) < 0);
        var rows = await query.OrderByDescending(t => t.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, t => t.Id, TransferEngine.ToResponse));
    }
}
