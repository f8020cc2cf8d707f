namespace PayTrack.Features.Reports;

public static class ReportsEndpoints
{
    /// <summary>Spending reports, converted into one currency at each expense's date.</summary>
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization();
        group.MapGet("/spending", GetSpendingReport.Handle).WithSummary("Spending between from and to, grouped by category, month, week, day, tag or payee.");
        group.MapGet("/spending.csv", GetSpendingReport.HandleCsv).WithSummary("The spending report as CSV.");
        group.MapGet("/cashflow", GetCashFlow.Handle).WithSummary("Income against spending per month or week, converted into one currency at each entry's date.");
        return app;
    }
}
