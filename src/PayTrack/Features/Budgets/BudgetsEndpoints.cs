using PayTrack.Infrastructure.Idempotency;
namespace PayTrack.Features.Budgets;

public static class BudgetsEndpoints
{
    /// <summary>Budgets, overall or per category, with the current period's status.</summary>
    public static IEndpointRouteBuilder MapBudgets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/budgets").WithTags("Budgets").RequireAuthorization();
        group.MapGet("/", ListBudgets.Handle).WithSummary("The caller's budgets, each with its current period's spending.");
        group.MapPost("/", CreateBudget.Handle).HonourIdempotencyKey().WithSummary("Create a monthly or weekly budget, overall or for a category (with its sub-categories).");
        group.MapGet("/{id:guid}", GetBudget.Handle).WithSummary("One budget with its current period's spending.");
        group.MapPut("/{id:guid}", UpdateBudget.Handle).WithSummary("Replace a budget's settings.");
        group.MapDelete("/{id:guid}", DeleteBudget.Handle).WithSummary("Delete a budget.");
        return app;
    }
}
