using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Transfers;

public sealed record SendTransferRequest(
    Guid? FromAccountId, Guid? ToAccountId, string? ToEmail,
    [property: JsonConverter(typeof(AmountTextConverter))] string? Amount,
    string? Description, bool? Hold, int? ExpiresInSeconds);

public sealed record BatchTransferRequest(List<SendTransferRequest?>? Transfers);
public sealed record BatchItemResult(int Index, int Status, TransferResponse? Transfer, ProblemDetails? Problem);
public sealed record BatchTransferResponse(List<BatchItemResult> Results);

public static class TransfersEndpoints
{
    public const int MaxBatch = 1000;

    /// <summary>Money between wallets: immediate transfers, holds, batches.</summary>
    public static IEndpointRouteBuilder MapTransfers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/transfers").WithTags("Transfers").RequireAuthorization();
        group.MapPost("/", Send).RequireIdempotencyKeyCheckedInHandler()
            .Produces<TransferResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Send money from one of your wallets to a wallet or a user's e-mail; hold: true reserves it until capture, void or expiry.")
            .WithDescription("422 for insufficient-funds (the refused transfer is kept as failed, its id in the problem's transferId), currency-mismatch, recipient-not-found and account-not-active; 400 for the same wallet on both sides; 404 when fromAccountId is not yours.");
        group.MapPost("/batch", SendBatch).RequireIdempotencyKey().WithJsonBodyLimit(1024 * 1024).WithSummary("Up to 1000 transfers; each succeeds or fails on its own.")
            .WithDescription("Answers 200 with one result per item, in order: its status (201 or the refusal's) and the transfer or the problem.");
        group.MapPost("/{id:guid}/capture", (Guid id, ClaimsPrincipal p, PayTrackDb db, TransferEngine e, CancellationToken ct) => FinishHold.Handle(id, "capture", p, db, e, ct))
            .HonourIdempotencyKey().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Capture a pending hold: the money moves.").WithDescription("Only the sender; a transfer that is not pending: 409.");
        group.MapPost("/{id:guid}/void", (Guid id, ClaimsPrincipal p, PayTrackDb db, TransferEngine e, CancellationToken ct) => FinishHold.Handle(id, "void", p, db, e, ct))
            .HonourIdempotencyKey().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Void a pending hold: the reserved money is released.").WithDescription("Only the sender; a transfer that is not pending: 409.");
        group.MapGet("/{id:guid}", Get).WithSummary("A transfer you sent or received.");
        group.MapGet("/", ListTransfers.Handle).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Transfers you sent or received, newest first, paged; filter by accountId and status.");
        return app;
    }

    /// <summary>
    /// One transfer: checked from caches without a database read when the wallets are known, then booked
    /// together with its Idempotency-Key's answer in one transaction (on PostgreSQL, one call).
    /// </summary>
    public static async Task<IResult> Send(
        SendTransferRequest request, ClaimsPrincipal principal, TransferEngine engine, IdempotencyStore idempotency, CancellationToken ct)
    {
        var (ready, refusal) = await engine.PrepareAsync(ToCommand(principal.UserId(), request), ct, forSendOnce: true);
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

    public static async Task<Results<Ok<BatchTransferResponse>, ValidationProblem>> SendBatch(
        BatchTransferRequest request, ClaimsPrincipal principal, PayTrackDb db, TransferEngine engine, CancellationToken ct)
    {
        var items = request.Transfers;
        if (items is null || items.Count == 0 || items.Count > MaxBatch)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["transfers"] = [$"transfers must hold 1 to {MaxBatch} items."] });
        var me = principal.UserId();
        var commands = items.Select(r => ToCommand(me, r ?? new SendTransferRequest(null, null, null, null, null, null, null))).ToList();
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

    public static async Task<Results<Ok<TransferResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var t = await db.Transfers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && (t.FromUserId == me || t.ToUserId == me), ct);
        return t is null ? ProblemSetup.NotFound("The transfer") : TypedResults.Ok(TransferEngine.ToResponse(t));
    }

    internal static TransferCommand ToCommand(Guid caller, SendTransferRequest r) =>
        new(caller, r.FromAccountId, r.ToAccountId, r.ToEmail, r.Amount, r.Description, r.Hold ?? false, r.ExpiresInSeconds);
}
