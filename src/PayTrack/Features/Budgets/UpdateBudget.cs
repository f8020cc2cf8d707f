using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Budgets;

public static class UpdateBudget
{
    public static async Task<Results<Ok<BudgetResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, BudgetRequest request, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rates, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var budget = await db.Budgets.FirstOrDefaultAsync(b => b.Id == id && b.UserId == userId, ct);
        if (budget is null) return ProblemSetup.NotFound("The budget");
        var v = new Validation();
        if (!await BudgetLogic.TryApplyAsync(request, userId, db, v, budget, ct)) return TypedResults.ValidationProblem(v.Errors);
        budget.UpdatedAt = clock.UtcNowStored();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await BudgetLogic.ToResponseAsync(db, rates, budget, BudgetLogic.Today(clock), ct));
    }
}
