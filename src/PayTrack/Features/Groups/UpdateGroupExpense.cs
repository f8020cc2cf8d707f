using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>
/// The creator or an owner replaces a group expense. The request names the <c>version</c> it edits; the
/// conditional update that bumps it is the first statement of the transaction, so of two edits of one version
/// exactly one wins and the other gets 409 (never a lost update). The old parts are taken off the running
/// totals and the new ones added, in the same transaction.
/// </summary>
public static class UpdateGroupExpense
{
    public static async Task<Results<Ok<GroupExpenseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid expenseId, GroupExpenseRequest request, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rates, DomainEvents events,
        TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var current = await db.GroupExpenses.AsNoTracking().Where(e => e.Id == expenseId && e.GroupId == id).Select(e => new { e.CreatedBy }).FirstOrDefaultAsync(ct);
        if (current is null) return ProblemSetup.NotFound("The expense");
        if (current.CreatedBy != me && !access.IsOwner)
            return ProblemSetup.Problem(403, "not-expense-creator", "Not yours to change", "Only whoever added the expense, or an owner, can change it.");
        var v = new Validation();
        if (request.Version is null) v.Add("version", "version is required: the version of the expense you edited.");
        string? missing = null;
        var input = await GroupExpenseValidation.ValidateAsync(request, access.Group, me, db, rates, v, m => missing = m, ct);
        if (missing is not null) return CreateGroupExpense.MissingRate(missing);
        if (input is null || !v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var now = clock.UtcNowStored();
        var version = request.Version!.Value;
        var outcome = await Sql.InTransactionAsync(db, async c =>
        {
            var bumped = await db.GroupExpenses.Where(e => e.Id == expenseId && e.GroupId == id && e.Version == version)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Version, e => e.Version + 1), c);
            if (bumped != 1)
                return (object)(await db.GroupExpenses.AnyAsync(e => e.Id == expenseId, c)
                    ? ProblemSetup.Problem(409, "edit-conflict", "Edited meanwhile", "Someone changed this expense since you loaded it: reload and edit again.")
                    : ProblemSetup.NotFound("The expense"));
            var expense = await db.GroupExpenses.Include(e => e.Parts).FirstAsync(e => e.Id == expenseId, c);
            var before = expense.ToResponse(access.Group.Currency) with { Version = version };
            await GroupChanges.ApplyAsync(db, id, GroupChanges.Of(expense, -1).Concat(Deltas(input)), c);
            db.GroupExpenseParts.RemoveRange(expense.Parts);
            await db.SaveChangesAsync(c);
            expense.Description = input.Description;
            expense.AmountMinor = input.Amount.Minor;
            expense.Currency = input.Amount.Currency.Code;
            expense.Rate = input.Rate;
            expense.GroupAmountMinor = input.GroupAmountMinor;
            expense.Date = input.Date;
            expense.Category = input.Category;
            expense.SplitMode = input.SplitMode;
            expense.UpdatedAt = now;
            foreach (var p in input.Parts) p.ExpenseId = expenseId;
            expense.Parts = input.Parts;
            db.GroupExpenseParts.AddRange(input.Parts);
            var after = expense.ToResponse(access.Group.Currency);
            GroupChanges.Record(db, events, clock, id, me, "expense.updated", "expense", expenseId, $"changed {expense.Description}", before, after,
                involved: before.Payers.Concat(before.Shares).Concat(after.Payers).Concat(after.Shares).Select(p => p.UserId));
            await db.SaveChangesAsync(c);
            return after;
        }, ct);
        return outcome switch
        {
            GroupExpenseResponse r => TypedResults.Ok(r),
            ProblemHttpResult p => p,
            _ => throw new InvalidOperationException("Unknown outcome."),
        };
    }

    private static IEnumerable<GroupChanges.Delta> Deltas(GroupExpenseInput input) =>
        GroupChanges.Of(new GroupExpense { Parts = input.Parts }, +1);
}
