using PayTrack.Infrastructure.Idempotency;
namespace PayTrack.Features.Categories;

public static class CategoriesEndpoints
{
    /// <summary>The caller's categories: one level of sub-categories, defaults for every new user.</summary>
    public static IEndpointRouteBuilder MapCategories(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/categories").WithTags("Categories").RequireAuthorization();
        group.MapGet("/", ListCategories.Handle).WithSummary("Every category of the caller, parents before their children.");
        group.MapPost("/", CreateCategory.Handle).HonourIdempotencyKey().ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Create a category, optionally under a top-level parent.");
        group.MapPut("/{id:guid}", UpdateCategory.Handle).ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Rename, recolour or move a category.");
        group.MapDelete("/{id:guid}", DeleteCategory.Handle).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a category and its sub-categories; whatever used them moves to reassignTo.");
        return app;
    }
}
