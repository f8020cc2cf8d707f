using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>A member records a shared expense; the members' running totals change in the same transaction.</summary>
public static class CreateGroupExpense
{
    public static async Task<Results<Created<GroupExpenseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, GroupExpenseRequest request, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rates, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        var access = await GroupAccess.FindAsync(db, id, me, ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var v = new Validation();
        string? missing = null;
        var input = await GroupExpenseValidation.ValidateAsync(request, access.Group, me, db, rates, v, m => missing = m, ct);
        if (missing is not null) return MissingRate(missing);
        if (input is null) return TypedResults.ValidationProblem(v.Errors);

        var now = clock.UtcNowStored();
        var expense = new GroupExpense
        {
            Id = Guid.CreateVersion7(), GroupId = id, Description = input.Description, AmountMinor = input.Amount.Minor, Currency = input.Amount.Currency.Code,
            Rate = input.Rate, GroupAmountMinor = input.GroupAmountMinor, Date = input.Date, Category = input.Category, SplitMode = input.SplitMode,
            CreatedBy = me, CreatedAt = now, UpdatedAt = now, Version = 1, Parts = input.Parts,
        };
        foreach (var p in expense.Parts) p.ExpenseId = expense.Id;
        var response = expense.ToResponse(access.Group.Currency);
        await Sql.InTransactionAsync(db, async c =>
        {
            db.GroupExpenses.Add(expense);
            await GroupChanges.ApplyAsync(db, id, GroupChanges.Of(expense, +1), c);
            GroupChanges.Record(db, events, clock, id, me, "expense.created", "expense", expense.Id,
                $"added {expense.Description} ({GroupMapping.Money(expense.AmountMinor, expense.Currency)})", after: response,
                involved: expense.Parts.Select(p => p.UserId));
            await db.SaveChangesAsync(c);
            return 0;
        }, ct);
        return TypedResults.Created($"/api/v1/groups/{id}/expenses/{expense.Id}", response);
    }

    public static ProblemHttpResult MissingRate(string detail) => ProblemSetup.Problem(422, "missing-rate", "Missing exchange rate", detail);
}
