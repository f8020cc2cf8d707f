using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Receipts;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Problems;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses;

/// <summary>The body of POST /expenses/delete.</summary>
public sealed record DeleteExpensesRequest(List<Guid>? Ids);

public sealed record DeleteExpensesResponse(int Deleted);

/// <summary>Deletes many of the caller's expenses and their receipts in one transaction: all or none.</summary>
public static class DeleteExpenses
{
    public static async Task<Results<Ok<DeleteExpensesResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        DeleteExpensesRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, IBlobStore blobs, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var ids = UpdateExpenses.ReadIds(request.Ids, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var hashes = await Sql.InTransactionAsync(db, async c =>
        {
            var mine = await db.Expenses.AsNoTracking().Where(e => e.UserId == userId && ids.Contains(e.Id)).ToListAsync(c);
            if (mine.Count != ids.Count) return null;
            var shared = await db.Receipts.Where(r => ids.Contains(r.ExpenseId)).Select(r => r.Sha256).Distinct().ToListAsync(c);
            await db.Receipts.Where(r => ids.Contains(r.ExpenseId)).ExecuteDeleteAsync(c);
            await db.ExpenseTags.Where(t => ids.Contains(t.ExpenseId)).ExecuteDeleteAsync(c);
            await db.Expenses.Where(e => e.UserId == userId && ids.Contains(e.Id)).ExecuteDeleteAsync(c);
            foreach (var e in mine) events.AddTo(db, e.Event("expense.deleted"));
            await db.SaveChangesAsync(c);
            return shared;
        }, ct);
        if (hashes is null) return ProblemSetup.NotFound("One of the expenses");
        // As for one expense: blobs go after the rows, and only when no other receipt shares the bytes.
        foreach (var hash in hashes) await ReceiptBlobs.DeleteIfUnusedAsync(db, blobs, hash, ct);
        return TypedResults.Ok(new DeleteExpensesResponse(ids.Count));
    }
}
