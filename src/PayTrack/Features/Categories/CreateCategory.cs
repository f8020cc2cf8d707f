using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Categories;

public sealed record CreateCategoryRequest(string? Name, Guid? ParentId, string? Color);

public static class CreateCategory
{
    public static async Task<Results<Created<CategoryResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        CreateCategoryRequest request, ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        CategoryMapping.ValidateShape(v, request.Name, request.Color);
        var userId = principal.UserId();
        if (request.ParentId is { } parentId)
        {
            var parent = await db.Categories.AsNoTracking().Where(c => c.Id == parentId && c.UserId == userId)
                .Select(c => new { c.ParentId }).FirstOrDefaultAsync(ct);
            if (parent is null) v.Add("parentId", "parentId is not one of your categories.");
            else if (parent.ParentId is not null) v.Add("parentId", "Sub-categories cannot have sub-categories of their own (one level only).");
        }
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var now = clock.UtcNowStored();
        var category = new Category
        {
            Id = Guid.CreateVersion7(), UserId = userId, ParentId = request.ParentId,
            Name = request.Name!.Trim(), Color = request.Color, CreatedAt = now, UpdatedAt = now,
        };
        if (await NameTakenAsync(db, userId, request.ParentId, category.Name, null, ct)) return NameTaken(category.Name);
        db.Categories.Add(category);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex)) { return NameTaken(category.Name); }
        return TypedResults.Created($"/api/v1/categories/{category.Id}", category.ToResponse());
    }

    internal static async Task<bool> NameTakenAsync(PayTrackDb db, Guid userId, Guid? parentId, string name, Guid? except, CancellationToken ct)
    {
        var lower = name.ToLowerInvariant();
        return await db.Categories.AnyAsync(c => c.UserId == userId && c.ParentId == parentId && c.Name.ToLower() == lower && c.Id != except, ct);
    }

    internal static ProblemHttpResult NameTaken(string name) =>
        ProblemSetup.Problem(409, "category-name-taken", "Category name taken", $"You already have a category named '{name}' at this level.");
}
