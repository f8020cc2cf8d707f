using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Categories;

public sealed record UpdateCategoryRequest(string? Name, Guid? ParentId, string? Color);

public static class UpdateCategory
{
    public static async Task<Results<Ok<CategoryResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, UpdateCategoryRequest request, ClaimsPrincipal principal, PayTrackDb db, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id && c.UserId == userId, ct);
        if (category is null) return ProblemSetup.NotFound("The category");

        var v = new Validation();
        CategoryMapping.ValidateShape(v, request.Name, request.Color);
        if (request.ParentId is { } parentId)
        {
            var parent = await db.Categories.AsNoTracking().Where(c => c.Id == parentId && c.UserId == userId)
                .Select(c => new { c.ParentId }).FirstOrDefaultAsync(ct);
            if (parent is null || parentId == id) v.Add("parentId", "parentId is not one of your other categories.");
            else if (parent.ParentId is not null) v.Add("parentId", "Sub-categories cannot have sub-categories of their own (one level only).");
            else if (await db.Categories.AnyAsync(c => c.ParentId == id, ct))
                v.Add("parentId", "A category with sub-categories cannot become a sub-category itself.");
        }
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var name = request.Name!.Trim();
        if (await CreateCategory.NameTakenAsync(db, userId, request.ParentId, name, id, ct)) return CreateCategory.NameTaken(name);
        category.Name = name;
        category.Color = request.Color;
        category.ParentId = request.ParentId;
        category.UpdatedAt = clock.UtcNowStored();
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex)) { return CreateCategory.NameTaken(name); }
        return TypedResults.Ok(category.ToResponse());
    }
}
