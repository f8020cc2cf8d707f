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

public sealed record SpendingGroup(string Key, string Label, string Total, int Count);
public sealed record SpendingReport(DateOnly From, DateOnly To, string Currency, string GroupBy, string Total, int Count, List<SpendingGroup> Groups, List<MissingRate> MissingRates);

public static class GetSpendingReport
{
    private static readonly string[] GroupBys = ["category", "month", "week", "day", "tag", "payee"];
    public const int MaxDays = 366 * 20;

    public static async Task<Results<Ok<SpendingReport>, ValidationProblem>> Handle(
        string? from, string? to, string? groupBy, string? currency, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rateCache, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var report = await BuildAsync(from, to, groupBy, currency, principal.UserId(), db, rateCache, clock, v, ct);
        return report is null ? TypedResults.ValidationProblem(v.Errors) : TypedResults.Ok(report);
    }

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> HandleCsv(
        string? from, string? to, string? groupBy, string? currency, ClaimsPrincipal principal, PayTrackDb db, ExchangeRateCache rateCache, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var report = await BuildAsync(from, to, groupBy, currency, principal.UserId(), db, rateCache, clock, v, ct);
        if (report is null) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, CsvText.Utf8);
            await writer.WriteAsync(CsvText.Line("key", "label", "total", "count", "currency"));
            foreach (var g in report.Groups)
                await writer.WriteAsync(CsvText.Line(CsvText.Cell(g.Key), CsvText.Cell(g.Label), g.Total, g.Count.ToString(CultureInfo.InvariantCulture), report.Currency));
            await writer.WriteAsync(CsvText.Line("", "Total", report.Total, report.Count.ToString(CultureInfo.InvariantCulture), report.Currency));
        }, "text/csv; charset=utf-8", $"spending-{report.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}.csv");
    }

    internal static async Task<SpendingReport?> BuildAsync(
        string? fromText, string? toText, string? groupBy, string? currencyCode, Guid userId, PayTrackDb db, ExchangeRateCache rateCache, TimeProvider clock, Validation v, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly to = today, from = new(today.Year, 1, 1);
        if (!string.IsNullOrEmpty(toText) && !ExpenseValidation.TryParseDate(toText, out to)) v.Add("to", "to must be a date YYYY-MM-DD.");
        if (string.IsNullOrEmpty(fromText)) from = new DateOnly(to.Year, 1, 1);
        else if (!ExpenseValidation.TryParseDate(fromText, out from)) v.Add("from", "from must be a date YYYY-MM-DD.");
        if (v.IsValid && from > to) v.Add("to", "to must not be before from.");
        if (v.IsValid && to.DayNumber - from.DayNumber > MaxDays) v.Add("from", "A report covers at most 20 years.");
        groupBy = string.IsNullOrEmpty(groupBy) ? "category" : groupBy.ToLowerInvariant();
        if (!GroupBys.Contains(groupBy)) v.Add("groupBy", "groupBy must be category, month, week, day, tag or payee.");
        Currency? target = null;
        if (currencyCode is null)
            target = Currency.Get(await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultCurrency).FirstAsync(ct));
        else if (!Currency.TryGet(currencyCode, out target)) v.Add("currency", $"'{currencyCode}' is not a supported currency.");
        if (!v.IsValid) return null;

        var buckets = await SpendingEngine.BucketsAsync(db, SpendingEngine.Window(db, userId, from, to), groupBy, target!.Code, ct);
        var rates = await rateCache.GetAsync(db, ct);
        var (groups, missing) = SpendingEngine.Convert(buckets, target!, rates);

        long totalMinor;
        int totalCount;
        if (groupBy == "tag")
        {
            // An expense with two tags is in two groups; the total counts it once.
            var all = await SpendingEngine.BucketsAsync(db, SpendingEngine.Window(db, userId, from, to), "total", target.Code, ct);
            var (overall, _) = SpendingEngine.Convert(all, target, rates);
            totalMinor = overall.Sum(g => g.Minor);
            totalCount = overall.Sum(g => g.Count);
        }
        else
        {
            totalMinor = groups.Sum(g => g.Minor);
            totalCount = groups.Sum(g => g.Count);
        }

        var labels = await LabelsAsync(db, userId, groupBy, ct);
        var ordered = groupBy is "month" or "week" or "day"
            ? groups.OrderBy(g => g.Key, StringComparer.Ordinal)
            : groups.OrderByDescending(g => g.Minor).ThenBy(g => g.Key, StringComparer.Ordinal);
        return new SpendingReport(from, to, target.Code, groupBy, new Money(totalMinor, target).ToAmountString(), totalCount,
            ordered.Select(g => new SpendingGroup(g.Key, labels(g.Key), new Money(g.Minor, target).ToAmountString(), g.Count)).ToList(),
            missing);
    }

    private static async Task<Func<string, string>> LabelsAsync(PayTrackDb db, Guid userId, string groupBy, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (groupBy)
        {
            case "category":
                var names = await db.Categories.AsNoTracking().Where(c => c.UserId == userId).ToDictionaryAsync(c => c.Id.ToString(), c => c.Name, ct);
                return key => key == SpendingEngine.None ? "Uncategorized" : names.GetValueOrDefault(key) ?? key;
            case "month":
                return key => DateOnly.ParseExact(key + "-01", "yyyy-MM-dd", inv).ToString("MMMM yyyy", inv);
            case "week":
                return key => $"Week {int.Parse(key[6..], inv)}, {key[..4]}";
            case "day":
                return key => DateOnly.ParseExact(key, "yyyy-MM-dd", inv).ToString("d MMMM yyyy", inv);
            case "tag":
                return key => key == SpendingEngine.None ? "(untagged)" : key;
            default:
                return key => key == SpendingEngine.None ? "(no payee)" : key;
        }
    }
}
