using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Web;
namespace PayTrack.Features.Expenses;

public static class ExpensesEndpoints
{
    /// <summary>The caller's expenses.</summary>
    public static IEndpointRouteBuilder MapExpenses(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/expenses").WithTags("Expenses").RequireAuthorization();
        group.MapGet("/", ListExpenses.Handle).WithSummary("Your expenses, newest date first, paged; filter by dates, category, tag, text (q) and amount.");
        group.MapGet("/export", ExportExpenses.Handle).ProducesCsv("The expenses as CSV, UTF-8; cells that a spreadsheet would run as a formula are prefixed with '.").WithSummary("The caller's expenses as CSV (spreadsheet formulas neutralised).");
        group.MapPost("/", CreateExpense.Handle).HonourIdempotencyKey().WithSummary("Record an expense; the caller's rules categorise and tag it.");
        group.MapGet("/{id:guid}", GetExpense.Handle).WithSummary("One expense.");
        group.MapPut("/{id:guid}", UpdateExpense.Handle).WithSummary("Replace an expense's fields.");
        group.MapDelete("/{id:guid}", DeleteExpense.Handle).WithSummary("Delete an expense and its receipts.");
        group.MapPatch("/", UpdateExpenses.Handle).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Change many expenses at once (category, kind, added tags); all or none.");
        group.MapPost("/delete", DeleteExpenses.Handle).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Delete many expenses and their receipts at once; all or none.");
        return app;
    }
}
