using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Expenses;

/// <summary>The fields a bulk edit sets on every chosen expense; an absent field is left as it is.</summary>
public sealed record ExpenseChanges(Guid? CategoryId, string? Kind);

/// <summary>The body of PATCH /expenses.</summary>
public sealed record UpdateExpensesRequest(List<Guid>? Ids, ExpenseChanges? Set, List<string?>? AddTags);

public sealed record UpdateExpensesResponse(int Updated);

/// <summary>Changes many of the caller's expenses at once (category, kind, added tags) in one transaction: all or none.</summary>
public static class UpdateExpenses
{
    public const int MaxIds = 500;

    public static async Task<Results<Ok<UpdateExpensesResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        UpdateExpensesRequest request, ClaimsPrincipal principal, PayTrackDb db, DomainEvents events, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var ids = ReadIds(request.Ids, v);
        var set = request.Set ?? new ExpenseChanges(null, null);
        if (set.Kind is not null && !ExpenseKinds.IsValid(set.Kind)) v.Add("set.kind", "kind must be expense or income.");
        if (!Tags.TryNormalize(request.AddTags, out var tags, out var tagError)) v.Add("addTags", tagError);
        if (set.CategoryId is null && set.Kind is null && tags.Count == 0) v.Add("set", "Choose a category, a kind or tags to add.");
        if (set.CategoryId is { } cat && !await db.Categories.AnyAsync(c => c.Id == cat && c.UserId == userId, ct))
            v.Add("set.categoryId", "categoryId is not one of your categories.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var count = await Sql.InTransactionAsync(db, async c =>
        {
            var rows = await db.Expenses.Where(e => e.UserId == userId && ids.Contains(e.Id)).Select(e => new { e.Id, e.Date }).ToListAsync(c);
            if (rows.Count != ids.Count) return -1;
            var now = clock.UtcNowStored();
            var query = db.Expenses.Where(e => e.UserId == userId && ids.Contains(e.Id));
            if (set.CategoryId is { } categoryId) await query.ExecuteUpdateAsync(s => s.SetProperty(e => e.CategoryId, categoryId), c);
            if (set.Kind is { } kind) await query.ExecuteUpdateAsync(s => s.SetProperty(e => e.Kind, kind), c);
            if (tags.Count > 0)
            {
                var existing = (await db.ExpenseTags.Where(t => t.UserId == userId && ids.Contains(t.ExpenseId) && tags.Contains(t.Tag))
                    .Select(t => new { t.ExpenseId, t.Tag }).ToListAsync(c)).Select(t => (t.ExpenseId, t.Tag)).ToHashSet();
                foreach (var row in rows)
                    foreach (var tag in tags.Where(t => !existing.Contains((row.Id, t))))
                        db.ExpenseTags.Add(new ExpenseTag { ExpenseId = row.Id, Tag = tag, UserId = userId, Date = row.Date });
                await db.SaveChangesAsync(c);
            }
            await query.ExecuteUpdateAsync(s => s.SetProperty(e => e.UpdatedAt, now), c);
            foreach (var e in await query.AsNoTracking().ToListAsync(c)) events.AddTo(db, e.Event("expense.updated"));
            await db.SaveChangesAsync(c);
            return rows.Count;
        }, ct);
        return count < 0 ? ProblemSetup.NotFound("One of the expenses") : TypedResults.Ok(new UpdateExpensesResponse(count));
    }

    /// <summary>Checks a bulk request's ids: 1 to <see cref="MaxIds"/>, duplicates ignored.</summary>
    internal static List<Guid> ReadIds(List<Guid>? ids, Validation v)
    {
        var distinct = (ids ?? []).Distinct().ToList();
        if (distinct.Count == 0) v.Add("ids", "Choose at least one expense.");
        else if (distinct.Count > MaxIds) v.Add("ids", $"At most {MaxIds} expenses can be changed at once.");
        return distinct;
    }
}
