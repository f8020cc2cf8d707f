using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;

namespace PayTrack.Features.Rules;

public static class ListRules
{
    public static async Task<Ok<List<RuleResponse>>> Handle(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var rows = await db.Rules.AsNoTracking().Where(r => r.UserId == userId).OrderBy(r => r.Position).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => r.ToResponse()).ToList());
    }
}
