using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Reports;

public static class ReportsEndpoints
{
    /// <summary>Spending reports, converted into one currency at each expense's date.</summary>
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization();
        group.MapGet("/spending", GetSpendingReport.Handle).WithSummary("Spending between from and to, grouped by category, month, week, day, tag or payee.")
            .WithDescription("Amounts are converted into currency (default: yours) at the rate of each expense's date; expenses without a rate are left out and listed in missingRates.");
        group.MapGet("/spending.csv", GetSpendingReport.HandleCsv).ProducesCsv("One line per group: key, label, total, count.").WithSummary("The spending report as CSV.");
        group.MapGet("/cashflow", GetCashFlow.Handle).WithSummary("Income against spending per month or week, converted into one currency at each entry's date.");
        return app;
    }
}
