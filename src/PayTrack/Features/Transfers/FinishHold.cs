using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain.Ledger;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Transfers;

/// <summary>The sender captures or voids a pending hold.</summary>
public static class FinishHold
{
    public static async Task<Results<Ok<TransferResponse>, ProblemHttpResult>> Handle(
        Guid id, string action, ClaimsPrincipal principal, PayTrackDb db, TransferEngine engine, CancellationToken ct)
    {
        var me = principal.UserId();
        var owner = await db.Transfers.AsNoTracking().Where(t => t.Id == id).Select(t => new { t.FromUserId, t.ToUserId }).FirstOrDefaultAsync(ct);
        if (owner is null || (owner.FromUserId != me && owner.ToUserId != me)) return ProblemSetup.NotFound("The transfer");
        if (owner.FromUserId != me)
            return ProblemSetup.Problem(403, "not-the-sender", "Only the sender", $"Only the sender can {action} a hold.");

        var outcome = await Sql.InTransactionAsync(db, c => engine.FinishHoldAsync(id, action, me, c), ct);
        return outcome is TransferOutcome.Done d ? TypedResults.Ok(TransferEngine.ToResponse(d.Transfer)) : TypedResults.Problem(outcome.ToProblem()!);
    }
}
