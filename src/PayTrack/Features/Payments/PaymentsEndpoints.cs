using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Payments;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Payments;

public sealed record DepositRequest(Guid? AccountId, [property: JsonConverter(typeof(AmountTextConverter))] string? Amount, string? PaymentMethod);
public sealed record WithdrawalRequest(Guid? AccountId, [property: JsonConverter(typeof(AmountTextConverter))] string? Amount, string? Destination);

public static class PaymentsEndpoints
{
    /// <summary>Deposits and withdrawals through the payment provider, and the provider's signed callback.</summary>
    public static IEndpointRouteBuilder MapPayments(this IEndpointRouteBuilder app)
    {
        var deposits = app.MapGroup("/api/v1/deposits").WithTags("Deposits").RequireAuthorization();
        deposits.MapPost("/", RequestPayment.Deposit).RequireIdempotencyKeyInHandler().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Add money to a wallet through the payment provider.")
            .WithDescription("Answers 201 with status pending; the provider settles it to success or failed. 404 when accountId is not yours; 422 when the wallet is not active.");
        deposits.MapGet("/{id:guid}", (Guid id, ClaimsPrincipal p, PayTrackDb db, CancellationToken ct) => GetPayment.Handle(id, PaymentService.Deposit, p, db, ct)).WithSummary("A deposit and its status.");

        var withdrawals = app.MapGroup("/api/v1/withdrawals").WithTags("Withdrawals").RequireAuthorization();
        withdrawals.MapPost("/", RequestPayment.Withdrawal).RequireIdempotencyKeyInHandler().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Send money out of a wallet; the amount is held until the provider settles.")
            .WithDescription("The amount is held at once (available drops), then posted on provider success or released on failure. 422 /problems/insufficient-funds when not enough is available. A destination written as an IBAN (an IBAN country code, two check digits, 11–30 letters and digits; spaces allowed) must have valid check digits, else 400: a mistyped character is caught before money leaves; any other destination text is taken as it is.");
        withdrawals.MapGet("/{id:guid}", (Guid id, ClaimsPrincipal p, PayTrackDb db, CancellationToken ct) => GetPayment.Handle(id, PaymentService.Withdrawal, p, db, ct)).WithSummary("A withdrawal and its status.");

        app.MapPost("/api/v1/payments/callback", Callback).AllowAnonymous().WithTags("Payments")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("The payment provider's signed notice that a payment settled (HMAC-SHA256 in PayTrack-Signature).")
            .WithDescription("For the payment provider, not for clients: no bearer token; a missing, wrong or stale signature answers 401.");
        return app;
    }

    public static async Task<Results<Ok, ProblemHttpResult>> Callback(HttpContext http, CallbackSigner signer, PaymentsOptions options, PaymentService payments, TimeProvider clock, ILogger<PaymentService> logger, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(ct);
        if (!signer.Verify(http.Request.Headers[CallbackSigner.Header], body, clock.GetUtcNow(), TimeSpan.FromSeconds(options.CallbackToleranceSeconds)))
            return ProblemSetup.Problem(401, "invalid-signature", "Invalid signature", "The callback's signature is missing, wrong or too old.");
        ProviderCallback? callback;
        try { callback = JsonSerializer.Deserialize<ProviderCallback>(body, JsonSerializerOptions.Web); }
        catch (JsonException) { callback = null; }
        if (callback is null || !Guid.TryParse(callback.Reference, out var paymentId) || callback.Status is not ("success" or "failed" or "pending"))
            return ProblemSetup.Problem(400, "invalid-callback", "Invalid callback", "The callback body is not a payment notice.");
        if (callback.Status == "pending") return TypedResults.Ok();
        var settled = await payments.SettleAsync(paymentId, callback.Status, callback.Reason, ct);
        logger.LogInformation("Provider callback for payment {PaymentId}: {Status} ({Effect})", paymentId, callback.Status, settled ? "settled" : "already final");
        return TypedResults.Ok();
    }
}
