using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.ExchangeRates;

namespace PayTrack.Features.Reports;

/// <summary>Sums of one group key in one currency on one day (no day for amounts already in the report's currency).</summary>
public sealed record SpendingBucket(string Key, string Currency, DateOnly? Date, long Minor, int Count);

public sealed record MissingRate(string Currency, DateOnly Date);

/// <summary>The caller's expenses in [From, To] (optionally some categories only), as a query.</summary>
public sealed record SpendingWindow(IQueryable<Expense> Expenses, Guid UserId, DateOnly From, DateOnly To);

/// <summary>A group's total in the target currency.</summary>
public sealed record SpendingTotal(string Key, long Minor, int Count);

/// <summary>
/// Spending aggregation shared by reports and budgets. The database sums expenses by
/// (group key, currency, day) over the window — so the cost follows the window, not the history —
/// and each bucket is then converted at the latest rate on or before its day (see ADR 0011), using the
/// rates held by <see cref="ExchangeRateCache"/>.
/// A bucket without a rate is left out and reported as missing, never converted at 1.
/// </summary>
public static class SpendingEngine
{
    public const string None = "";

    /// <summary>The caller's spending (entries of kind <c>expense</c>; income never counts as spending) in [from, to], optionally limited to some categories; cash flow asks for <c>income</c> too.</summary>
    public static SpendingWindow Window(PayTrackDb db, Guid userId, DateOnly from, DateOnly to, IReadOnlyCollection<Guid>? categoryIds = null, string kind = ExpenseKinds.Expense)
    {
        var q = db.Expenses.AsNoTracking().Where(e => e.UserId == userId && e.Date >= from && e.Date <= to && e.Kind == kind);
        if (categoryIds is not null)
        {
            var ids = categoryIds.ToList();
            q = q.Where(e => e.CategoryId != null && ids.Contains(e.CategoryId.Value));
        }
        return new SpendingWindow(q, userId, from, to);
    }

    /// <summary>
    /// Aggregates in SQL by (day, currency, key); time groupings use the day as key and regroup in memory.
    /// The day comes first in every GROUP BY so that SQLite's planner walks the (user_id, date, id)
    /// index over the window instead of an index on the key over the whole table.
    /// </summary>
    public static async Task<List<SpendingBucket>> BucketsAsync(PayTrackDb db, SpendingWindow w, string groupBy, string target, CancellationToken ct)
    {
        var window = w.Expenses;
        // Amounts already in the report's currency need no rate, so they are not split by day.
        DateOnly? noDay = null;
        switch (groupBy)
        {
            case "category":
                return (await window.GroupBy(e => new { Date = e.Currency == target ? noDay : e.Date, e.Currency, e.CategoryId })
                        .Select(g => new { g.Key.CategoryId, g.Key.Currency, g.Key.Date, Minor = g.Sum(e => e.AmountMinor), Count = g.Count() })
                        .ToListAsync(ct))
                    .Select(b => new SpendingBucket(b.CategoryId?.ToString() ?? None, b.Currency, b.Date, b.Minor, b.Count)).ToList();
            case "payee":
                return (await window.GroupBy(e => new { Date = e.Currency == target ? noDay : e.Date, e.Currency, e.Payee })
                        .Select(g => new { g.Key.Payee, g.Key.Currency, g.Key.Date, Minor = g.Sum(e => e.AmountMinor), Count = g.Count() })
                        .ToListAsync(ct))
                    .Select(b => new SpendingBucket(b.Payee ?? None, b.Currency, b.Date, b.Minor, b.Count)).ToList();
            case "tag":
                // One pass: each expense joined to its tags, or once with no tag (the "untagged" group).
                // On PostgreSQL the tag rows' own user and date keep the join inside the window (otherwise it
                // hashes every tag row). SQLite probes the primary key per expense, which is what it does
                // best; given the range it would pick the (user_id, date) index and rescan it per expense.
                var tags = db.IsSqlite ? db.ExpenseTags : db.ExpenseTags.Where(t => t.UserId == w.UserId && t.Date >= w.From && t.Date <= w.To);
                var tagged = await (from e in window
                                    from t in tags.Where(t => t.ExpenseId == e.Id).Select(t => (string?)t.Tag).DefaultIfEmpty()
                                    group e by new { Date = e.Currency == target ? noDay : e.Date, e.Currency, Tag = t } into g
                                    select new { g.Key.Date, g.Key.Currency, g.Key.Tag, Minor = g.Sum(e => e.AmountMinor), Count = g.Count() }).ToListAsync(ct);
                return tagged.Select(b => new SpendingBucket(b.Tag ?? None, b.Currency, b.Date, b.Minor, b.Count)).ToList();
            default:
                if (groupBy == "total")
                {
                    return (await window.GroupBy(e => new { Date = e.Currency == target ? noDay : e.Date, e.Currency })
                            .Select(g => new { g.Key.Currency, g.Key.Date, Minor = g.Sum(e => e.AmountMinor), Count = g.Count() })
                            .ToListAsync(ct))
                        .Select(b => new SpendingBucket(None, b.Currency, b.Date, b.Minor, b.Count)).ToList();
                }
                return (await window.GroupBy(e => new { e.Date, e.Currency })
                        .Select(g => new { g.Key.Currency, g.Key.Date, Minor = g.Sum(e => e.AmountMinor), Count = g.Count() })
                        .ToListAsync(ct))
                    .Select(b => new SpendingBucket(TimeKey(groupBy, b.Date), b.Currency, b.Date, b.Minor, b.Count)).ToList();
        }
    }

    public static string TimeKey(string groupBy, DateOnly d) => groupBy switch
    {
        "month" => d.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        "week" => $"{System.Globalization.ISOWeek.GetYear(d.ToDateTime(TimeOnly.MinValue))}-W{System.Globalization.ISOWeek.GetWeekOfYear(d.ToDateTime(TimeOnly.MinValue)):00}",
        "day" => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => None,
    };

    /// <summary>Converts each bucket into <paramref name="target"/> and totals by key; buckets without a rate are listed as missing.</summary>
    public static (List<SpendingTotal> Groups, List<MissingRate> Missing) Convert(IEnumerable<SpendingBucket> buckets, Currency target, RateTable rates)
    {
        var totals = new Dictionary<string, (long Minor, int Count)>(StringComparer.Ordinal);
        var missing = new SortedSet<(string Currency, DateOnly Date)>();
        var currencies = new Dictionary<string, Currency>(StringComparer.Ordinal);
        foreach (var b in buckets)
        {
            long minor;
            if (b.Currency == target.Code) minor = b.Minor;
            else
            {
                var day = b.Date ?? throw new InvalidOperationException("A bucket in another currency carries its day.");
                if (!rates.TryGetRate(b.Currency, target.Code, day, out var rate)) { missing.Add((b.Currency, day)); continue; }
                if (!currencies.TryGetValue(b.Currency, out var from)) currencies[b.Currency] = from = Currency.Get(b.Currency);
                minor = RateTable.Convert(b.Minor, from, target, rate);
            }
            var t = totals.GetValueOrDefault(b.Key);
            totals[b.Key] = (checked(t.Minor + minor), t.Count + b.Count);
        }
        return (totals.Select(kv => new SpendingTotal(kv.Key, kv.Value.Minor, kv.Value.Count)).ToList(),
            missing.Select(m => new MissingRate(m.Currency, m.Date)).ToList());
    }

    /// <summary>Total spending in [from, to] in <paramref name="target"/> (used by budgets).</summary>
    public static async Task<(long Minor, int Count, List<MissingRate> Missing)> TotalAsync(
        PayTrackDb db, ExchangeRateCache rateCache, Guid userId, DateOnly from, DateOnly to, IReadOnlyCollection<Guid>? categoryIds, Currency target, CancellationToken ct)
    {
        var buckets = await BucketsAsync(db, Window(db, userId, from, to, categoryIds), "total", target.Code, ct);
        var rates = await rateCache.GetAsync(db, ct);
        var (groups, missing) = Convert(buckets, target, rates);
        return (groups.Sum(g => g.Minor), groups.Sum(g => g.Count), missing);
    }
}
