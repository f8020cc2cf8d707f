using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses;

/// <summary>Replaces every field of an expense (rules are not re-run: the caller's edit is final).</summary>
public static class UpdateExpense
{
    public static async Task<Results<Ok<ExpenseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, ExpenseRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var expense = await db.Expenses.Include(e => e.Tags).FirstOrDefaultAsync(e => e.Id == id && e.UserId == userId, ct);
        if (expense is null) return ProblemSetup.NotFound("The expense");
        var v = new Validation();
        var input = await ExpenseValidation.ValidateAsync(request, userId, db, v, ct);
        if (input is null) return TypedResults.ValidationProblem(v.Errors);

        expense.AmountMinor = input.Amount.Minor;
        expense.Currency = input.Amount.Currency.Code;
        expense.Kind = input.Kind;
        expense.Date = input.Date;
        expense.CategoryId = input.CategoryId;
        expense.Payee = input.Payee;
        expense.Description = input.Description;
        expense.AccountId = input.AccountId;
        expense.UpdatedAt = clock.UtcNowStored();
        expense.Tags.RemoveAll(t => !input.Tags.Contains(t.Tag));
        foreach (var tag in input.Tags.Where(t => expense.Tags.All(x => x.Tag != t)))
            expense.Tags.Add(ExpenseTag.For(expense, tag));
        foreach (var t in expense.Tags) t.Date = expense.Date;
        events.AddTo(db, expense.Event("expense.updated"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ExpenseMapping.ToResponseAsync(db, expense, ct));
    }
}
