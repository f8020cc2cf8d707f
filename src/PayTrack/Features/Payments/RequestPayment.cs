using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Payments;

/// <summary>Deposits and withdrawals: recorded, then sent to the payment provider.</summary>
public static class RequestPayment
{
    public static Task<Results<Created<PaymentResponse>, ValidationProblem, ProblemHttpResult>> Deposit(
        DepositRequest request, ClaimsPrincipal principal, PayTrackDb db, PaymentService payments, IdempotencyStore idempotency, CancellationToken ct)
    {
        var method = string.IsNullOrWhiteSpace(request.PaymentMethod) ? "sandbox:success" : request.PaymentMethod.Trim();
        return CreateAsync(PaymentService.Deposit, request.AccountId, request.Amount, method, null, principal, db, payments, idempotency, ct);
    }

    public static Task<Results<Created<PaymentResponse>, ValidationProblem, ProblemHttpResult>> Withdrawal(
        WithdrawalRequest request, ClaimsPrincipal principal, PayTrackDb db, PaymentService payments, IdempotencyStore idempotency, CancellationToken ct) =>
        CreateAsync(PaymentService.Withdrawal, request.AccountId, request.Amount, null, request.Destination?.Trim(), principal, db, payments, idempotency, ct);

    private static async Task<Results<Created<PaymentResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string kind, Guid? accountId, string? amount, string? method, string? destination,
        ClaimsPrincipal principal, PayTrackDb db, PaymentService payments, IdempotencyStore idempotency, CancellationToken ct)
    {
        var v = new Validation();
        if (accountId is null) v.Add("accountId", "accountId is required.");
        v.MaxLength("paymentMethod", method, 100).MaxLength("destination", destination, 200);
        if (Iban.Candidate(destination) is { } iban && !Iban.HasValidCheckDigits(iban))
            v.Add("destination", "This IBAN's check digits do not match: a character is probably mistyped. Check it against your bank's details.");
        if (string.IsNullOrWhiteSpace(amount)) v.Add("amount", "amount is required.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var me = principal.UserId();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId && a.UserId == me, ct);
        if (account is null) return ProblemSetup.NotFound("The account");
        if (!Money.TryParse(amount, Currency.Get(account.Currency), out var money, out var error))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["amount"] = [error] });
        if (account.Status != AccountStatus.Active) return ProblemSetup.Problem(422, "account-not-active", "Account not active", $"This wallet is {account.Status}; money cannot be moved into or out of it.");

        var key = idempotency.Key;
        // 1. Record the payment (a withdrawal holds its amount) in its own transaction, its Idempotency-Key
        //    with it: a retry after a crash finds the key and never records (or pays) a second time.
        Payment? payment = null;
        ProblemHttpResult? refused = null;
        await Sql.InTransactionAsync(db, async c =>
        {
            (payment, refused) = (null, null);
            if (key is not null && await idempotency.CheckInTransactionAsync(key, c) is { } found)
            {
                refused = IdempotencyFilter.Refusal(found);
                return 0;
            }
            payment = await payments.RecordAsync(kind, me, account, money, method, destination, key?.Key, c);
            if (payment is null)
            {
                refused = ProblemSetup.Problem(422, "insufficient-funds", "Insufficient funds", $"The wallet has less than {money} available.");
                await idempotency.DoneAsync(422, refused.ProblemDetails, c);
            }
            else await idempotency.DoneAsync(201, PaymentService.ToResponse(payment), c);
            return 0;
        }, ct);
        if (refused is not null) return refused;

        // 2. Send it to the provider (retries, circuit breaker), 3. answer with what came back; the key's
        //    stored answer follows (until then a replay answers "pending", which was true when stored).
        payment = await payments.SubmitAsync(payment!.Id, ct);
        var response = PaymentService.ToResponse(payment);
        await idempotency.ReviseAsync(201, response, ct);
        return TypedResults.Created($"/api/v1/{kind}s/{payment.Id}", response);
    }
}
