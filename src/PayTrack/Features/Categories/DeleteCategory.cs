using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Categories;

/// <summary>
/// Deletes a category together with its sub-categories. Expenses, budgets and rules that used any of
/// them move to <c>reassignTo</c>; without it, a category still in use is refused (409), so nothing is orphaned.
/// </summary>
public static class DeleteCategory
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid? reassignTo, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var ids = await db.Categories.Where(c => c.UserId == userId && (c.Id == id || c.ParentId == id)).Select(c => c.Id).ToListAsync(ct);
        if (!ids.Contains(id)) return ProblemSetup.NotFound("The category");

        if (reassignTo is { } target)
        {
            var v = new Validation();
            if (ids.Contains(target)) v.Add("reassignTo", "reassignTo must not be the deleted category or one of its sub-categories.");
            else if (!await db.Categories.AnyAsync(c => c.Id == target && c.UserId == userId, ct)) v.Add("reassignTo", "reassignTo is not one of your categories.");
            if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        }

        var deleted = await Sql.InTransactionAsync(db, async c =>
        {
            var expenses = db.Expenses.Where(e => e.UserId == userId && e.CategoryId != null && ids.Contains(e.CategoryId.Value));
            var budgets = db.Budgets.Where(b => b.UserId == userId && b.CategoryId != null && ids.Contains(b.CategoryId.Value));
            var rules = db.Rules.Where(r => r.UserId == userId && r.SetCategoryId != null && ids.Contains(r.SetCategoryId.Value));
            if (reassignTo is { } to)
            {
                await expenses.ExecuteUpdateAsync(s => s.SetProperty(e => e.CategoryId, to), c);
                await budgets.ExecuteUpdateAsync(s => s.SetProperty(b => b.CategoryId, to), c);
                await rules.ExecuteUpdateAsync(s => s.SetProperty(r => r.SetCategoryId, to), c);
            }
            else if (await expenses.AnyAsync(c) || await budgets.AnyAsync(c) || await rules.AnyAsync(c))
            {
                return false;
            }
            await db.Categories.Where(c => c.UserId == userId && c.ParentId == id).ExecuteDeleteAsync(c);
            await db.Categories.Where(c => c.UserId == userId && c.Id == id).ExecuteDeleteAsync(c);
            return true;
        }, ct);
        if (!deleted)
            return ProblemSetup.Problem(409, "category-in-use", "Category in use",
                "Expenses, budgets or rules still use this category or its sub-categories; pass reassignTo to move them to another category.");
        return TypedResults.NoContent();
    }
}
