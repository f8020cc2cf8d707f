using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain.Ledger;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Transfers;

/// <summary>One transfer for a caller that has already claimed its idempotency key (the web form); the answer is stored with that claim.</summary>
public static class SendClaimedTransfer
{
    /// <summary>One transfer for a caller that has already claimed its idempotency key (the web form); the answer is stored with that claim.</summary>
    public static async Task<Results<Created<TransferResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        SendTransferRequest request, ClaimsPrincipal principal, PayTrackDb db, TransferEngine engine, CancellationToken ct)
    {
        var command = TransfersEndpoints.ToCommand(principal.UserId(), request);
        var outcome = await Sql.InTransactionAsync(db, c => engine.SendAsync(command, c), ct);
        return outcome switch
        {
            TransferOutcome.Done d => TypedResults.Created($"/api/v1/transfers/{d.Transfer.Id}", TransferEngine.ToResponse(d.Transfer)),
            TransferOutcome.Invalid i => TypedResults.ValidationProblem(i.Errors),
            _ => TypedResults.Problem(outcome.ToProblem()!),
        };
    }
}
