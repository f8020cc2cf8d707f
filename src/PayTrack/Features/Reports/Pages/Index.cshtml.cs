using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.ExchangeRates;
using PayTrack.Features.Categories;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Reports.Pages;

/// <summary>Spending reports from <see cref="GetSpendingReport"/> (a chart, the table behind it, the API's CSV) and cash flow from <see cref="GetCashFlow"/>.</summary>
public sealed class IndexModel(PayTrackDb db, ExchangeRateCache rates, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? GroupBy { get; set; }
    [BindProperty(SupportsGet = true)] public string? Currency { get; set; }

    public SpendingReport? Report { get; private set; }
    public string ChartJson { get; private set; } = "{}";
    public CashFlowReport? CashFlow { get; private set; }
    public string CashFlowJson { get; private set; } = "{}";

    public static readonly (string Value, string Label)[] Groupings =
        [("category", "Category"), ("month", "Month"), ("week", "Week"), ("day", "Day"), ("tag", "Tag"), ("payee", "Payee")];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        From ??= new DateOnly(today.Year, 1, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        To ??= today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        GroupBy ??= "category";
        var result = await GetSpendingReport.Handle(From, To, GroupBy, string.IsNullOrEmpty(Currency) ? null : Currency, User, db, rates, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, "")) return;
        Report = UseCaseResults.ValueOf<SpendingReport>(result.Result);
        Currency = Report.Currency;
        Dictionary<string, string?>? colors = null;
        if (Report.GroupBy == "category")
            colors = (await ListCategories.Handle(User, db, ct)).Value!.ToDictionary(c => c.Id.ToString(), c => c.Color);
        ChartJson = ChartData.Json(Report, ChartData.KindFor(Report.GroupBy), colors);

        // Cash flow over the same dates: by week for a short range, by month otherwise.
        var weekly = Report.To.DayNumber - Report.From.DayNumber <= 92;
        if ((await GetCashFlow.Handle(From, To, weekly ? "week" : "month", Currency, User, db, rates, clock, ct)).Result is Ok<CashFlowReport> flow)
        {
            CashFlow = flow.Value!;
            CashFlowJson = ChartData.CashFlowJson(CashFlow);
        }
    }

    /// <summary>The same report as CSV, streamed by <see cref="GetSpendingReport.HandleCsv"/>.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var result = await GetSpendingReport.HandleCsv(From, To, GroupBy, string.IsNullOrEmpty(Currency) ? null : Currency, User, db, rates, clock, ct);
        if (result.Result is ValidationProblem) return RedirectToPage();
        return new HttpResultAction(result.Result);
    }
}
