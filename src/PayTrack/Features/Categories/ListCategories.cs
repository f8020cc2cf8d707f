using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Categories;

public static class ListCategories
{
    public static async Task<Ok<List<CategoryResponse>>> Handle(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var all = await db.Categories.AsNoTracking().Where(c => c.UserId == userId).ToListAsync(ct);
        // Parents in name order, each followed by its children in name order.
        var ordered = all.Where(c => c.ParentId is null).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .SelectMany(p => all.Where(c => c.ParentId == p.Id).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Prepend(p))
            .Select(c => c.ToResponse())
            .ToList();
        return TypedResults.Ok(ordered);
    }
}
