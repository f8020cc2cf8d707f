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

/// <summary>A wallet's postings, newest first, keyset-paged.</summary>
public static class ListEntries
{
    public static async Task<Results<Ok<Page<EntryResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var me = principal.UserId();
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == id && a.UserId == me).Select(a => new { a.Currency }).FirstOrDefaultAsync(ct);
        if (account is null) return ProblemSetup.NotFound("The account");

        var query = db.Postings.AsNoTracking().Where(p => p.AccountId == id);
        if (after is { } a) query = query.Where(p => p.Id.CompareTo(a) < 0);
        var rows = await query.OrderByDescending(p => p.Id).Take(take + 1)
            .Join(db.JournalEntries, p => p.EntryId, e => e.Id, (p, e) => new { p.Id, e.ReferenceId, p.AmountMinor, p.BalanceAfterMinor, e.Description, p.CreatedAt })
            .OrderByDescending(x => x.Id)
            .ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, r => r.Id, r => new EntryResponse(
            r.Id, r.ReferenceId, AccountMapping.Amount(Math.Abs(r.AmountMinor), account.Currency), account.Currency,
            r.AmountMinor < 0 ? "debit" : "credit", AccountMapping.Amount(r.BalanceAfterMinor, account.Currency), r.Description, r.CreatedAt)));
    }
}
