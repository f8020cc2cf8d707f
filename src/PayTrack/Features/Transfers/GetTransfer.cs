using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Transfers;

/// <summary>A transfer the caller sent or received.</summary>
public static class GetTransfer
{
    public static async Task<Results<Ok<TransferResponse>, ProblemHttpResult>> Handle(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var t = await db.Transfers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && (t.FromUserId == me || t.ToUserId == me), ct);
        return t is null ? ProblemSetup.NotFound("The transfer") : TypedResults.Ok(TransferEngine.ToResponse(t));
    }
}
