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

        // Sent and received are read as two queries, each along its own index ((from_…, id), (to_…, id)) and
        // stopped at one page, then merged: an OR of the two would read all of a busy user's transfers to sort them.
        IQueryable<Transfer> sent, received;
        if (accountId is { } acc)
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == acc && a.UserId == me, ct)) return ProblemSetup.NotFound("The account");
            sent = db.Transfers.AsNoTracking().Where(t => t.FromAccountId == acc);
            received = db.Transfers.AsNoTracking().Where(t => t.ToAccountId == acc && t.FromAccountId != acc);
        }
        else
        {
            sent = db.Transfers.AsNoTracking().Where(t => t.FromUserId == me);
            received = db.Transfers.AsNoTracking().Where(t => t.ToUserId == me && t.FromUserId != me);
        }
        IQueryable<Transfer> Page(IQueryable<Transfer> q)
        {
            if (status is not null) q = q.Where(t => t.Status == status);
            if (after is { } a) q = q.Where(t => t.Id.CompareTo(a) < 0);
            return q.OrderByDescending(t => t.Id).Take(take + 1);
        }
        var rows = await Page(sent).Concat(Page(received)).OrderByDescending(t => t.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, t => t.Id, TransferEngine.ToResponse));
    }
}
