using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Rules;

public sealed record ApplyRulesResponse(int Changed);

/// <summary>
/// Re-applies the caller's rules to every existing expense: a matching rule's category replaces the
/// expense's, its tags are added. Walks the expenses in keyset batches, all in one transaction.
/// </summary>
public static class ApplyRules
{
    private const int Batch = 1000;

    public static async Task<Ok<ApplyRulesResponse>> Handle(ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var rules = await RuleStorage.LoadAsync(db, userId, ct);
        if (rules.Count == 0) return TypedResults.Ok(new ApplyRulesResponse(0));
        var (_, changed) = await WalkAsync(db, userId, s => RuleEngine.Evaluate(rules, s), write: true, clock, ct);
        return TypedResults.Ok(new ApplyRulesResponse(changed));
    }

    /// <summary>
    /// Runs <paramref name="evaluate"/> over every expense of the user; answers how many it matched (a category
    /// or a tag came back) and how many it changed. With <paramref name="write"/> false nothing is saved (a dry run).
    /// </summary>
    internal static async Task<(int Matched, int Changed)> WalkAsync(
        PayTrackDb db, Guid userId, Func<RuleSubject, (Guid? CategoryId, List<string> Tags)> evaluate, bool write, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.UtcNowStored();
        int matched = 0, changed = 0;
        Guid? after = null;
        await using var tx = write ? await db.Database.BeginTransactionAsync(ct) : null;
        while (true)
        {
            var query = db.Expenses.Include(e => e.Tags).Where(e => e.UserId == userId);
            if (!write) query = query.AsNoTracking();
            if (after is { } a) query = query.Where(e => e.Id.CompareTo(a) > 0);
            var batch = await query.OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var e in batch)
            {
                var money = Money.FromMinor(e.AmountMinor, e.Currency);
                var (category, tags) = evaluate(new RuleSubject(e.Payee, e.Description, money.ToDecimal()));
                if (category is not null || tags.Count > 0) matched++;
                var touched = false;
                if (category is { } c && e.CategoryId != c) { e.CategoryId = c; touched = true; }
                foreach (var tag in tags.Where(t => e.Tags.All(x => x.Tag != t)))
                {
                    e.Tags.Add(ExpenseTag.For(e, tag));
                    touched = true;
                }
                if (touched) { e.UpdatedAt = now; changed++; }
            }
            if (write) await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }
        if (tx is not null) await tx.CommitAsync(ct);
        return (matched, changed);
    }
}
