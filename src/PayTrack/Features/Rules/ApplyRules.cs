using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Rules;

/// <summary><see cref="Changed"/> expenses were changed; <see cref="Complete"/> is false when the time budget ran out first (apply again to go on).</summary>
public sealed record ApplyRulesResponse(int Changed, bool Complete = true);

/// <summary>
/// Re-applies the caller's rules to every existing expense: a matching rule's category replaces the
/// expense's, its tags are added. Expenses are read and the rules evaluated outside any transaction;
/// only the changes of each batch are written, in a short transaction of their own, so no other
/// request waits for the evaluation. Evaluation stops after <see cref="Budget"/>.
/// </summary>
public static class ApplyRules
{
    private const int Batch = 500;
    private const int StatementsPerCommand = 40;
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    public static async Task<Ok<ApplyRulesResponse>> Handle(ClaimsPrincipal principal, PayTrackDb db, Sql sql, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var rules = await RuleStorage.LoadAsync(db, userId, ct);
        if (rules.Count == 0) return TypedResults.Ok(new ApplyRulesResponse(0));
        var walk = await WalkAsync(db, sql, userId, s => RuleEngine.Evaluate(rules, s), write: true, clock, ct);
        return TypedResults.Ok(new ApplyRulesResponse(walk.Changed, walk.Complete));
    }

    /// <summary>
    /// Runs <paramref name="evaluate"/> over every expense of the user, outside any transaction; answers how many it
    /// matched (a category or a tag came back), how many it changed, and whether it got through them all within
    /// <see cref="Budget"/>. With <paramref name="write"/> each batch's changes are written in a short transaction of
    /// their own; without, nothing is saved (a dry run).
    /// </summary>
    internal static async Task<(int Matched, int Changed, bool Complete)> WalkAsync(
        PayTrackDb db, Sql sql, Guid userId, Func<RuleSubject, (Guid? CategoryId, List<string> Tags)> evaluate, bool write, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.UtcNowStored();
        int matched = 0, changed = 0;
        var elapsed = Stopwatch.StartNew();
        Guid? after = null;
        while (true)
        {
            var query = db.Expenses.AsNoTracking().Include(e => e.Tags).Where(e => e.UserId == userId);
            if (after is { } a) query = query.Where(e => e.Id.CompareTo(a) > 0);
            var batch = await query.OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
            if (batch.Count == 0) break;

            var changes = new List<(Expense Expense, Guid? Category, List<string> NewTags)>();
            foreach (var e in batch)
            {
                var money = Money.FromMinor(e.AmountMinor, e.Currency);
                var (category, tags) = evaluate(new RuleSubject(e.Payee, e.Description, money.ToDecimal()));
                if (category is not null || tags.Count > 0) matched++;
                var newCategory = category is { } c && e.CategoryId != c ? category : null;
                var newTags = tags.Where(t => e.Tags.All(x => x.Tag != t)).ToList();
                if (newCategory is not null || newTags.Count > 0) changes.Add((e, newCategory, newTags));
            }
            if (changes.Count > 0) changed += write ? await WriteAsync(db, sql, changes, now, ct) : changes.Count;
            after = batch[^1].Id;
            if (elapsed.Elapsed > Budget) return (matched, changed, false);
        }
        return (matched, changed, true);
    }

    /// <summary>Writes one batch's changes in one short transaction; an expense deleted meanwhile is skipped.</summary>
    private static Task<int> WriteAsync(PayTrackDb db, Sql sql, List<(Expense Expense, Guid? Category, List<string> NewTags)> changes, DateTime now, CancellationToken ct) =>
        Sql.InTransactionAsync(db, async c =>
        {
            var batch = new StatementBatch(sql);
            foreach (var (e, category, tags) in changes)
            {
                if (category is { } cat)
                    batch.Add("UPDATE expenses SET category_id = {0}, updated_at = {1} WHERE id = {2} AND user_id = {3}", cat, now, e.Id, e.UserId);
                else
                    batch.Add("UPDATE expenses SET updated_at = {0} WHERE id = {1} AND user_id = {2}", now, e.Id, e.UserId);
                foreach (var tag in tags)
                    batch.Add("INSERT INTO expense_tags (expense_id, tag, user_id, date) SELECT id, {0}, user_id, date FROM expenses WHERE id = {1} ON CONFLICT DO NOTHING", tag, e.Id);
                if (batch.Count >= StatementsPerCommand)
                {
                    await batch.ExecuteAsync(c);
                    batch = new StatementBatch(sql);
                }
            }
            if (batch.Count > 0) await batch.ExecuteAsync(c);
            return changes.Count;
        }, ct);
}
