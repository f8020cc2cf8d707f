using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Rules;

public static class DeleteRule
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var deleted = await db.Rules.Where(r => r.Id == id && r.UserId == userId).ExecuteDeleteAsync(ct);
        return deleted == 0 ? ProblemSetup.NotFound("The rule") : TypedResults.NoContent();
    }
}
