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
        var now = clock.UtcNowStored();
        var changed = 0;
        Guid? after = null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        while (true)
        {
            var query = db.Expenses.Include(e => e.Tags).Where(e => e.UserId == userId);
            if (after is { } a) query = query.Where(e => e.Id.CompareTo(a) > 0);
            var batch = await query.OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var e in batch)
            {
                var money = Money.FromMinor(e.AmountMinor, e.Currency);
                var (category, tags) = RuleEngine.Evaluate(rules, new RuleSubject(e.Payee, e.Description, money.ToDecimal()));
                var touched = false;
                if (category is { } c && e.CategoryId != c) { e.CategoryId = c; touched = true; }
                foreach (var tag in tags.Where(t => e.Tags.All(x => x.Tag != t)))
                {
                    e.Tags.Add(ExpenseTag.For(e, tag));
                    touched = true;
                }
                if (touched) { e.UpdatedAt = now; changed++; }
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new ApplyRulesResponse(changed));
    }
}
