using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Transfers;

/// <summary>Up to <see cref="TransfersEndpoints.MaxBatch"/> transfers in one transaction, each booked or refused on its own.</summary>
public static class SendTransferBatch
{
    public static async Task<Results<Ok<BatchTransferResponse>, ValidationProblem>> Handle(
        BatchTransferRequest request, ClaimsPrincipal principal, PayTrackDb db, TransferEngine engine, CancellationToken ct)
    {
        var items = request.Transfers;
        if (items is null || items.Count == 0 || items.Count > TransfersEndpoints.MaxBatch)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["transfers"] = [$"transfers must hold 1 to {TransfersEndpoints.MaxBatch} items."] });
        var me = principal.UserId();
        var commands = items.Select(r => TransfersEndpoints.ToCommand(me, r ?? new SendTransferRequest(null, null, null, null, null, null, null))).ToList();
        var response = await Sql.InTransactionAsync(db, async c =>
        {
            var outcomes = await engine.SendManyAsync(commands, c);
            var results = outcomes.Select((o, index) => o switch
            {
                TransferOutcome.Done d => new BatchItemResult(index, 201, TransferEngine.ToResponse(d.Transfer), null),
                TransferOutcome.Refused { Failed: { } failed } r => new BatchItemResult(index, r.Status, TransferEngine.ToResponse(failed), o.ToProblem()),
                _ => new BatchItemResult(index, o.ToProblem()!.Status!.Value, null, o.ToProblem()),
            }).ToList();
            return new BatchTransferResponse(results);
        }, ct);
        return TypedResults.Ok(response);
    }
}
