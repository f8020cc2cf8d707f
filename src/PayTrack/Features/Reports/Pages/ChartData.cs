using System.Text.Json;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Reports.Pages;

/// <summary>
/// What wwwroot/js/charts.js draws: the report's groups with the amounts as the API's exact decimal
/// strings (the browser turns them into numbers only to size bars) and the tooltip text already
/// formatted with the currency's symbol and digits in the reader's locale.
/// </summary>
public static class ChartData
{
    public static readonly string[] Palette =
        ["#00895a", "#2b6cb0", "#d97706", "#b83280", "#6b46c1", "#0f766e", "#c53030", "#4a5568", "#2f855a", "#975a16", "#2c5282", "#702459"];

    public static string Json(SpendingReport report, string kind, IReadOnlyDictionary<string, string?>? colors = null) => JsonSerializer.Serialize(new
    {
        kind,
        currency = report.Currency,
        labels = report.Groups.Select(g => g.Label).ToArray(),
        amounts = report.Groups.Select(g => g.Total).ToArray(),
        display = report.Groups.Select(g => Display.Amount(g.Total, report.Currency)).ToArray(),
        colors = report.Groups.Select((g, i) => colors?.GetValueOrDefault(g.Key) ?? Palette[i % Palette.Length]).ToArray(),
    });

    /// <summary>The chart type that suits the grouping: a doughnut for shares, bars over time or for rankings.</summary>
    public static string KindFor(string groupBy) => groupBy switch
    {
        "category" => "doughnut",
        "month" or "week" or "day" => "bar",
        _ => "hbar",
    };

    /// <summary>Income and spending bars with a net line, per month or week; amounts stay exact decimal strings.</summary>
    public static string CashFlowJson(CashFlowReport report) => JsonSerializer.Serialize(new
    {
        kind = "cashflow",
        currency = report.Currency,
        labels = report.Periods.Select(p => p.Label).ToArray(),
        income = report.Periods.Select(p => p.Income).ToArray(),
        spending = report.Periods.Select(p => p.Spending).ToArray(),
        net = report.Periods.Select(p => p.Net).ToArray(),
        displayIncome = report.Periods.Select(p => Display.Amount(p.Income, report.Currency)).ToArray(),
        displaySpending = report.Periods.Select(p => Display.Amount(p.Spending, report.Currency)).ToArray(),
        displayNet = report.Periods.Select(p => Display.Amount(p.Net, report.Currency)).ToArray(),
    });
}
