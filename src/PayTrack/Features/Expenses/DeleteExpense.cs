using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Receipts;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Problems;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses;

public static class DeleteExpense
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, IBlobStore blobs, CancellationToken ct)
    {
        var userId = principal.UserId();
        var hashes = await Sql.InTransactionAsync(db, async c =>
        {
            var expense = await db.Expenses.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.UserId == userId, c);
            if (expense is null) return null;
            var shared = await db.Receipts.Where(r => r.ExpenseId == id).Select(r => r.Sha256).Distinct().ToListAsync(c);
            await db.Receipts.Where(r => r.ExpenseId == id).ExecuteDeleteAsync(c);
            await db.ExpenseTags.Where(t => t.ExpenseId == id).ExecuteDeleteAsync(c);
            await db.Expenses.Where(e => e.Id == id && e.UserId == userId).ExecuteDeleteAsync(c);
            events.AddTo(db, expense.Event("expense.deleted"));
            await db.SaveChangesAsync(c);
            return shared;
        }, ct);
        if (hashes is null) return ProblemSetup.NotFound("The expense");
        // Blobs go after the rows are gone, and only when no other receipt shares the bytes.
        foreach (var hash in hashes) await ReceiptBlobs.DeleteIfUnusedAsync(db, blobs, hash, ct);
        return TypedResults.NoContent();
    }
}
