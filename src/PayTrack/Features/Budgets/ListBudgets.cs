using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Budgets;

public static class ListBudgets
{
    public static async Task<Ok<List<BudgetResponse>>> Handle(ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rates, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var budgets = await db.Budgets.AsNoTracking().Where(b => b.UserId == userId).OrderBy(b => b.Name).ThenBy(b => b.Id).ToListAsync(ct);
        var today = BudgetLogic.Today(clock);
        var result = new List<BudgetResponse>(budgets.Count);
        foreach (var b in budgets) result.Add(await BudgetLogic.ToResponseAsync(db, rates, b, today, ct));
        return TypedResults.Ok(result);
    }
}

public static class GetBudget
{
    public static async Task<Results<Ok<BudgetResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rates, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var budget = await db.Budgets.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id && b.UserId == userId, ct);
        if (budget is null) return ProblemSetup.NotFound("The budget");
        return TypedResults.Ok(await BudgetLogic.ToResponseAsync(db, rates, budget, BudgetLogic.Today(clock), ct));
    }
}

public static class DeleteBudget
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var deleted = await db.Budgets.Where(b => b.Id == id && b.UserId == userId).ExecuteDeleteAsync(ct);
        return deleted == 0 ? ProblemSetup.NotFound("The budget") : TypedResults.NoContent();
    }
}
