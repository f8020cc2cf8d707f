using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Expenses;

public static class GetExpense
{
    public static async Task<Results<Ok<ExpenseResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var expense = await db.Expenses.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.UserId == userId, ct);
        if (expense is null) return ProblemSetup.NotFound("The expense");
        return TypedResults.Ok(await ExpenseMapping.ToResponseAsync(db, expense, ct));
    }
}
