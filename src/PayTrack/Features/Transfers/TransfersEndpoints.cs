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
        group.MapPost("/", SendTransfer.Handle).RequireIdempotencyKeyCheckedInHandler()
            .Produces<TransferResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Send money from one of your wallets to a wallet or a user's e-mail; hold: true reserves it until capture, void or expiry.")
            .WithDescription("422 for insufficient-funds (the refused transfer is kept as failed, its id in the problem's transferId), currency-mismatch, recipient-not-found and account-not-active; 400 for the same wallet on both sides; 404 when fromAccountId is not yours.");
        group.MapPost("/batch", SendTransferBatch.Handle).RequireIdempotencyKey().WithJsonBodyLimit(1024 * 1024).WithSummary("Up to 1000 transfers; each succeeds or fails on its own.")
            .WithDescription("Answers 200 with one result per item, in order: its status (201 or the refusal's) and the transfer or the problem.");
        group.MapPost("/{id:guid}/capture", (Guid id, ClaimsPrincipal p, PayTrackDb db, TransferEngine e, CancellationToken ct) => FinishHold.Handle(id, "capture", p, db, e, ct))
            .HonourIdempotencyKey().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Capture a pending hold: the money moves.").WithDescription("Only the sender; a transfer that is not pending: 409.");
        group.MapPost("/{id:guid}/void", (Guid id, ClaimsPrincipal p, PayTrackDb db, TransferEngine e, CancellationToken ct) => FinishHold.Handle(id, "void", p, db, e, ct))
            .HonourIdempotencyKey().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Void a pending hold: the reserved money is released.").WithDescription("Only the sender; a transfer that is not pending: 409.");
        group.MapGet("/{id:guid}", GetTransfer.Handle).WithSummary("A transfer you sent or received.");
        group.MapGet("/", ListTransfers.Handle).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Transfers you sent or received, newest first, paged; filter by accountId and status.");
        return app;
    }

    internal static TransferCommand ToCommand(Guid caller, SendTransferRequest r) =>
        new(caller, r.FromAccountId, r.ToAccountId, r.ToEmail, r.Amount, r.Description, r.Hold ?? false, r.ExpiresInSeconds);
}
