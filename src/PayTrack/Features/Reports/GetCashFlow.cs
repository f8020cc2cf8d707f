using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.ExchangeRates;
using PayTrack.Features.Expenses;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Reports;

/// <summary>One month or week: money in, money out, and the difference, in the report's currency.</summary>
public sealed record CashFlowPeriod(string Key, string Label, string Income, string Spending, string Net);

public sealed record CashFlowReport(DateOnly From, DateOnly To, string Currency, string GroupBy, string Income, string Spending, string Net,
    List<CashFlowPeriod> Periods, List<MissingRate> MissingRates);

/// <summary>
/// Income against spending per month or week, converted like the spending report (each entry at the
/// rate of its date; entries without a rate are left out and listed, never taken at 1). Every period
/// in the range is listed, empty ones as zero, so a chart has no gaps.
/// </summary>
public static class GetCashFlow
{
    public static async Task<Results<Ok<CashFlowReport>, ValidationProblem>> Handle(
        string? from, string? to, string? groupBy, string? currency, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rateCache, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var v = new Validation();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly t = today, f = default;
        if (!string.IsNullOrEmpty(to) && !ExpenseValidation.TryParseDate(to, out t)) v.Add("to", "to must be a date YYYY-MM-DD.");
        if (string.IsNullOrEmpty(from)) f = new DateOnly(t.Year, 1, 1);
        else if (!ExpenseValidation.TryParseDate(from, out f)) v.Add("from", "from must be a date YYYY-MM-DD.");
        if (v.IsValid && f > t) v.Add("to", "to must not be before from.");
        if (v.IsValid && t.DayNumber - f.DayNumber > GetSpendingReport.MaxDays) v.Add("from", "A report covers at most 20 years.");
        groupBy = string.IsNullOrEmpty(groupBy) ? "month" : groupBy.ToLowerInvariant();
        if (groupBy is not ("month" or "week")) v.Add("groupBy", "groupBy must be month or week.");
        Currency? target = null;
        if (currency is null)
            target = Currency.Get(await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultCurrency).FirstAsync(ct));
        else if (!Currency.TryGet(currency, out target)) v.Add("currency", $"'{currency}' is not a supported currency.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var rates = await rateCache.GetAsync(db, ct);
        var income = await SumAsync(ExpenseKinds.Income);
        var spending = await SumAsync(ExpenseKinds.Expense);
        var missing = income.Missing.Concat(spending.Missing).Distinct().OrderBy(m => m.Currency, StringComparer.Ordinal).ThenBy(m => m.Date).ToList();

        var periods = new List<CashFlowPeriod>();
        long totalIn = 0, totalOut = 0;
        foreach (var key in Keys(f, t, groupBy))
        {
            long i = income.Totals.GetValueOrDefault(key), s = spending.Totals.GetValueOrDefault(key);
            totalIn += i;
            totalOut += s;
            periods.Add(new CashFlowPeriod(key, Label(groupBy, key), Amount(i), Amount(s), Amount(i - s)));
        }
        return TypedResults.Ok(new CashFlowReport(f, t, target!.Code, groupBy, Amount(totalIn), Amount(totalOut), Amount(totalIn - totalOut), periods, missing));

        string Amount(long minor) => new Money(minor, target!).ToAmountString();

        async Task<(Dictionary<string, long> Totals, List<MissingRate> Missing)> SumAsync(string kind)
        {
            var buckets = await SpendingEngine.BucketsAsync(db, SpendingEngine.Window(db, userId, f, t, kind: kind), groupBy, target!.Code, ct);
            var (groups, missingRates) = SpendingEngine.Convert(buckets, target, rates);
            return (groups.ToDictionary(g => g.Key, g => g.Minor, StringComparer.Ordinal), missingRates);
        }
    }

    /// <summary>Every month or ISO week key from <paramref name="from"/> to <paramref name="to"/>, in order.</summary>
    public static IEnumerable<string> Keys(DateOnly from, DateOnly to, string groupBy)
    {
        string? last = null;
        var step = groupBy == "week" ? 7 : 28;
        // Stepping by less than a period and skipping repeats visits every period once; the last day closes the range.
        for (var d = from; d <= to; d = d.AddDays(step))
        {
            var key = SpendingEngine.TimeKey(groupBy, d);
            if (key != last) yield return last = key;
        }
        var end = SpendingEngine.TimeKey(groupBy, to);
        if (end != last) yield return end;
    }

    public static string Label(string groupBy, string key)
    {
        var inv = CultureInfo.InvariantCulture;
        return groupBy == "week"
            ? $"Week {int.Parse(key[6..], inv)}, {key[..4]}"
            : DateOnly.ParseExact(key + "-01", "yyyy-MM-dd", inv).ToString("MMMM yyyy", inv);
    }
}
