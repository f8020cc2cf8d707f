using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>One group expense, for any member.</summary>
public static class GetGroupExpense
{
    public static async Task<Results<Ok<GroupExpenseResponse>, ProblemHttpResult>> Handle(
        Guid id, Guid expenseId, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var access = await GroupAccess.FindAsync(db, id, principal.UserId(), ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var expense = await db.GroupExpenses.AsNoTracking().Include(e => e.Parts).FirstOrDefaultAsync(e => e.Id == expenseId && e.GroupId == id, ct);
        return expense is null ? ProblemSetup.NotFound("The expense") : TypedResults.Ok(expense.ToResponse(access.Group.Currency));
    }
}
