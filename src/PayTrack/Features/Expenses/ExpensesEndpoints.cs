using PayTrack.Infrastructure.Idempotency;
namespace PayTrack.Features.Expenses;

public static class ExpensesEndpoints
{
    /// <summary>The caller's expenses.</summary>
    public static IEndpointRouteBuilder MapExpenses(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/expenses").WithTags("Expenses").RequireAuthorization();
        group.MapGet("/", ListExpenses.Handle).WithSummary("The caller's expenses, newest date first, filtered and keyset-paged.");
        group.MapGet("/export", ExportExpenses.Handle).WithSummary("The caller's expenses as CSV (spreadsheet formulas neutralised).");
        group.MapPost("/", CreateExpense.Handle).HonourIdempotencyKey().WithSummary("Record an expense; the caller's rules categorise and tag it.");
        group.MapGet("/{id:guid}", GetExpense.Handle).WithSummary("One expense.");
        group.MapPut("/{id:guid}", UpdateExpense.Handle).WithSummary("Replace an expense's fields.");
        group.MapDelete("/{id:guid}", DeleteExpense.Handle).WithSummary("Delete an expense and its receipts.");
        group.MapPatch("/", UpdateExpenses.Handle).WithSummary("Change many expenses at once (category, kind, added tags); all or none.");
        group.MapPost("/delete", DeleteExpenses.Handle).WithSummary("Delete many expenses and their receipts at once; all or none.");
        return app;
    }
}
