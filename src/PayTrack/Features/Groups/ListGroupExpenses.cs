using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Expenses;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>A group's expenses, newest date first, paged; filtered by dates and text.</summary>
public static class ListGroupExpenses
{
    public static async Task<Results<Ok<Page<GroupExpenseResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, string? from, string? to, string? q, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var access = await GroupAccess.FindAsync(db, id, principal.UserId(), ct);
        if (access is null) return ProblemSetup.NotFound("The group");
        var v = new Validation();
        var (take, after) = Paging.ReadDated(limit, cursor, v);
        var query = Filter(db, id, from, to, q, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        if (after is { } a) query = query.Where(e => e.Date <= a.Date && (e.Date < a.Date || (e.Date == a.Date && e.Id.CompareTo(a.Id) < 0)));
        var rows = await query.OrderByDescending(e => e.Date).ThenByDescending(e => e.Id).Take(take + 1).Include(e => e.Parts).ToListAsync(ct);
        var hasMore = rows.Count > take;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        return TypedResults.Ok(new Page<GroupExpenseResponse>(rows.Select(e => e.ToResponse(access.Group.Currency)).ToList(),
            hasMore ? Paging.Encode(new DatedCursor(rows[^1].Date, rows[^1].Id)) : null));
    }

    internal static IQueryable<GroupExpense> Filter(PayTrackDb db, Guid groupId, string? from, string? to, string? q, Validation v)
    {
        var query = db.GroupExpenses.AsNoTracking().Where(e => e.GroupId == groupId);
        if (!string.IsNullOrEmpty(from))
        {
            if (ExpenseValidation.TryParseDate(from, out var f)) query = query.Where(e => e.Date >= f);
            else v.Add("from", "from must be a date YYYY-MM-DD.");
        }
        if (!string.IsNullOrEmpty(to))
        {
            if (ExpenseValidation.TryParseDate(to, out var t)) query = query.Where(e => e.Date <= t);
            else v.Add("to", "to must be a date YYYY-MM-DD.");
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim().ToLowerInvariant();
            query = query.Where(e => e.Description.ToLower().Contains(text) || (e.Category != null && e.Category.ToLower().Contains(text)));
        }
        return query;
    }
}
