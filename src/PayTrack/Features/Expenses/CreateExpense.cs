using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Rules;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses;

public static class CreateExpense
{
    public static async Task<Results<Created<ExpenseResponse>, ValidationProblem>> Handle(
        ExpenseRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var input = await ExpenseValidation.ValidateAsync(request, userId, db, v, ct);
        if (input is null) return TypedResults.ValidationProblem(v.Errors);

        var now = clock.UtcNowStored();
        var expense = new Expense
        {
            Id = Guid.CreateVersion7(), UserId = userId, AccountId = input.AccountId, CategoryId = input.CategoryId,
            AmountMinor = input.Amount.Minor, Currency = input.Amount.Currency.Code, Kind = input.Kind, Date = input.Date,
            Payee = input.Payee, Description = input.Description, CreatedAt = now, UpdatedAt = now,
        };
        var tags = input.Tags;
        // Rules fill in what the caller left open (a category they chose wins) and add their tags.
        var rules = await RuleStorage.LoadAsync(db, userId, ct);
        var (ruleCategory, ruleTags) = RuleEngine.Evaluate(rules, new RuleSubject(expense.Payee, expense.Description, input.Amount.ToDecimal()));
        expense.CategoryId ??= ruleCategory;
        tags = tags.Union(ruleTags).ToList();
        expense.Tags = tags.Select(t => ExpenseTag.For(expense, t)).ToList();

        db.Expenses.Add(expense);
        events.AddTo(db, expense.Event("expense.created"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/expenses/{expense.Id}", expense.ToResponse(tags, []));
    }
}
