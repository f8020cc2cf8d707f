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
        List<string> hashes;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var expense = await db.Expenses.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.UserId == userId, ct);
            if (expense is null) return ProblemSetup.NotFound("The expense");
            hashes = await db.Receipts.Where(r => r.ExpenseId == id).Select(r => r.Sha256).Distinct().ToListAsync(ct);
            await db.Receipts.Where(r => r.ExpenseId == id).ExecuteDeleteAsync(ct);
            await db.ExpenseTags.Where(t => t.ExpenseId == id).ExecuteDeleteAsync(ct);
            await db.Expenses.Where(e => e.Id == id && e.UserId == userId).ExecuteDeleteAsync(ct);
            events.AddTo(db, expense.Event("expense.deleted"));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        // Blobs go after the rows are gone, and only when no other receipt shares the bytes.
        foreach (var hash in hashes) await ReceiptBlobs.DeleteIfUnusedAsync(db, blobs, hash, ct);
        return TypedResults.NoContent();
    }
}
