using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Transfers;

/// <summary>Sends money from one of the caller's wallets (<c>POST /transfers</c>); the hot path.</summary>
public static class SendTransfer
{
    /// <summary>
    /// One transfer: checked from caches without a database read when the wallets are known, then booked
    /// together with its Idempotency-Key's answer in one transaction (on PostgreSQL, one call).
    /// </summary>
    public static async Task<IResult> Handle(
        SendTransferRequest request, ClaimsPrincipal principal, TransferEngine engine, IdempotencyStore idempotency, CancellationToken ct)
    {
        var (ready, refusal) = await engine.PrepareAsync(TransfersEndpoints.ToCommand(principal.UserId(), request), ct, forSendOnce: true);
        if (refusal is TransferOutcome.Invalid invalid) return TypedResults.ValidationProblem(invalid.Errors);
        var key = idempotency.Key!;
        var answer = ready is null ? await engine.RefuseOnceAsync(refusal!, key, ct) : await engine.SendOnceAsync(ready, key, ct);
        return answer switch
        {
            // The body is the text stored with the key, so the first answer and a replay are byte for byte the same.
            SendAnswer.Stored { Transfer: { } t } s => new StoredResponse(s.Status, s.Body, s.ContentType, Replayed: false) { Location = $"/api/v1/transfers/{t.Id}" },
            SendAnswer.Stored s => new StoredResponse(s.Status, s.Body, s.ContentType, Replayed: false),
            SendAnswer.KeyFound f => IdempotencyFilter.Answer(f.Found),
            _ => throw new InvalidOperationException("Unknown answer."),
        };
    }
}
