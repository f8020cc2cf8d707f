using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Budgets;

public static class CreateBudget
{
    public static async Task<Results<Created<BudgetResponse>, ValidationProblem>> Handle(
        BudgetRequest request, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rates, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = clock.UtcNowStored();
        var budget = new Budget { Id = Guid.CreateVersion7(), UserId = userId, CreatedAt = now, UpdatedAt = now };
        var v = new Validation();
        if (!await BudgetLogic.TryApplyAsync(request, userId, db, v, budget, ct)) return TypedResults.ValidationProblem(v.Errors);
        db.Budgets.Add(budget);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/budgets/{budget.Id}", await BudgetLogic.ToResponseAsync(db, rates, budget, BudgetLogic.Today(clock), ct));
    }
}
