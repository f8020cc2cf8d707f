using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Receipts;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>The creator or an owner deletes a group expense; its parts come off the running totals in the same transaction.</summary>
public static class DeleteGroupExpense
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, Guid expenseId, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, IBlobStore blobs, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var current = await db.GroupExpenses.AsNoTracking().Where(e => e.Id == expenseId && e.GroupId == id).Select(e => new { e.CreatedBy }).FirstOrDefaultAsync(ct);
        if (current is null) return ProblemSetup.NotFound("The expense");
        if (current.CreatedBy != me && !access.IsOwner)
            return ProblemSetup.Problem(403, "not-expense-creator", "Not yours to delete", "Only whoever added the expense, or an owner, can delete it.");

        List<string> hashes = [];
        var deleted = await Sql.InTransactionAsync(db, async c =>
        {
            // Lock the row first (a no-op update), so an edit running now finishes before the parts are read.
            if (await db.GroupExpenses.Where(e => e.Id == expenseId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Version, e => e.Version + 1), c) != 1)
                return false;
            var expense = await db.GroupExpenses.AsNoTracking().Include(e => e.Parts).FirstAsync(e => e.Id == expenseId, c);
            var before = expense.ToResponse(access.Group.Currency) with { Version = expense.Version - 1 };
            await GroupChanges.ApplyAsync(db, id, GroupChanges.Of(expense, -1), c);
            hashes = await db.GroupExpenseReceipts.Where(r => r.ExpenseId == expenseId).Select(r => r.Sha256).Distinct().ToListAsync(c);
            await db.GroupExpenseReceipts.Where(r => r.ExpenseId == expenseId).ExecuteDeleteAsync(c);
            await db.GroupExpenseParts.Where(p => p.ExpenseId == expenseId).ExecuteDeleteAsync(c);
            await db.GroupExpenses.Where(e => e.Id == expenseId).ExecuteDeleteAsync(c);
            GroupChanges.Record(db, events, clock, id, me, "expense.deleted", "expense", expenseId,
                $"deleted {expense.Description} ({GroupMapping.Money(expense.AmountMinor, expense.Currency)})", before,
                involved: expense.Parts.Select(p => p.UserId));
            await db.SaveChangesAsync(c);
            return true;
        }, ct);
        if (!deleted) return ProblemSetup.NotFound("The expense");
        // Blobs go after the rows are gone, and only when no other receipt shares the bytes.
        foreach (var hash in hashes) await ReceiptBlobs.DeleteIfUnusedAsync(db, blobs, hash, ct);
        return TypedResults.NoContent();
    }
}
