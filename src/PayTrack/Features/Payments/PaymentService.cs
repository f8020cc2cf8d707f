using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Domain.Ledger;
using PayTrack.Features.Accounts;
using PayTrack.Infrastructure.Payments;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Payments;

public sealed record PaymentResponse(Guid Id, Guid AccountId, string Amount, string Currency, string Status, string? FailureReason, DateTime CreatedAt, DateTime? CompletedAt);

/// <summary>
/// Deposits and withdrawals: recorded first, then sent to the provider, then settled by its signed
/// callback or by the reconciler asking it. Settling is a conditional state change, so duplicate,
/// late or out-of-order news from the provider changes nothing twice.
/// </summary>
public sealed class PaymentService(
    PayTrackDb db, Sql sql, LedgerBook book, DomainEvents events, PaymentProviderClient provider, PaymentsOptions options,
    IServer server, TimeProvider clock, ILogger<PaymentService> logger)
{
    public const string Deposit = "deposit";
    public const string Withdrawal = "withdrawal";

    public static PaymentResponse ToResponse(Payment p) => new(
        p.Id, p.AccountId, AccountMapping.Amount(p.AmountMinor, p.Currency), p.Currency, p.Status, p.FailureReason, p.CreatedAt, p.CompletedAt);

    /// <summary>
    /// Records a payment (a withdrawal also holds its amount), inside the caller's transaction. A payment
    /// already recorded under the same Idempotency-Key (an earlier attempt that died) is resumed instead.
    /// Answers null when a withdrawal has not enough available.
    /// </summary>
    public async Task<Payment?> RecordAsync(string kind, Guid userId, Account account, Money money, string? method, string? destination, string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is not null)
        {
            var earlier = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId && p.Kind == kind && p.IdempotencyKey == idempotencyKey, ct);
            if (earlier is not null) return earlier;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(), Kind = kind, UserId = userId, AccountId = account.Id, AmountMinor = money.Minor, Currency = money.Currency.Code,
            Status = PaymentStatus.Pending, Method = method, Destination = destination, IdempotencyKey = idempotencyKey, CreatedAt = now,
        };
        var batch = new StatementBatch(sql);
        if (kind == Withdrawal)
        {
            var locked = await book.LockAsync([account.Id], ct);
            if (locked[account.Id].Available < money.Minor || locked[account.Id].Status != AccountStatus.Active) return null;
            book.Apply(batch, locked, [new Leg(account.Id, 0, money.Minor)], Withdrawal, payment.Id, payment.Currency, null, now);
        }
        batch.Add("INSERT INTO payments (id, kind, user_id, account_id, amount_minor, currency, status, method, destination, idempotency_key, created_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10})",
            payment.Id, kind, userId, account.Id, payment.AmountMinor, payment.Currency, payment.Status, method, destination, idempotencyKey, now);
        events.AddTo(batch, new DomainEvent(kind + ".created", userId, userId, kind, payment.Id, new { amount = money.ToAmountString(), currency = payment.Currency, method, destination }));
        await batch.ExecuteAsync(ct);
        return payment;
    }

    /// <summary>Sends the payment to the provider (outside any transaction) and records what came back.</summary>
    public async Task<Payment> SubmitAsync(Guid paymentId, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().FirstAsync(p => p.Id == paymentId, ct);
        if (payment.Status != PaymentStatus.Pending) return payment;
        var request = new ProviderPaymentRequest(payment.Id.ToString(), payment.Kind, AccountMapping.Amount(payment.AmountMinor, payment.Currency),
            payment.Currency, payment.Method, payment.Destination, CallbackUrl());
        var result = await provider.SubmitAsync(request, ct);
        switch (result)
        {
            case SubmitResult.Accepted accepted:
                await sql.WriteAsync("UPDATE payments SET provider_ref = @p0, submitted_at = @p1 WHERE id = @p2", [accepted.ProviderRef, clock.GetUtcNow().UtcDateTime, payment.Id], ct);
                if (accepted.Status is PaymentStatus.Success or PaymentStatus.Failed) await SettleAsync(payment.Id, accepted.Status, accepted.Reason, ct);
                break;
            case SubmitResult.Rejected r:
                await SettleAsync(payment.Id, PaymentStatus.Failed, r.Reason, ct);
                break;
            case SubmitResult.Unavailable u:
                await SettleAsync(payment.Id, PaymentStatus.Failed, u.Reason, ct);
                break;
            case SubmitResult.Unknown:
                logger.LogWarning("Payment {PaymentId} left pending: the provider did not answer", payment.Id);
                break;
        }
        db.ChangeTracker.Clear();
        return await db.Payments.AsNoTracking().FirstAsync(p => p.Id == paymentId, ct);
    }

    /// <summary>
    /// Settles a pending payment once: a deposit's success credits the wallet from the provider's
    /// system account; a withdrawal's success posts the held money out, its failure releases the hold.
    /// Answers false when the payment was already final (nothing changes).
    /// </summary>
    public async Task<bool> SettleAsync(Guid paymentId, string outcome, string? reason, CancellationToken ct)
    {
        var currency = await db.Payments.AsNoTracking().Where(p => p.Id == paymentId).Select(p => p.Currency).FirstOrDefaultAsync(ct);
        if (currency is null) return false;
        // The provider's system account exists (or is created, idempotently) before the settlement's transaction.
        var providerAccount = await book.ProviderAccountAsync(currency, clock.GetUtcNow().UtcDateTime, ct);
        return await Sql.InTransactionAsync(db, async c =>
        {
            var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == paymentId, c);
            if (payment is null || !PaymentStatus.CanSettle(payment.Status)) return false;
            var now = clock.GetUtcNow().UtcDateTime;
            var locked = await book.LockAsync([payment.AccountId, providerAccount], c);
            var batch = new StatementBatch(sql);
            // The conditional update is the gate: only the first settlement of a pending payment gets past it.
            var changed = await sql.ExecAsync("UPDATE payments SET status = @p0, failure_reason = @p1, completed_at = @p2 WHERE id = @p3 AND status = 'pending'",
                [outcome, outcome == PaymentStatus.Failed ? reason ?? "failed at the payment provider" : null, now, paymentId], c);
            if (changed == 0) return false;
            var amount = payment.AmountMinor;
            IReadOnlyList<Leg> legs = (payment.Kind, outcome) switch
            {
                (Deposit, PaymentStatus.Success) => [new Leg(providerAccount, -amount), new Leg(payment.AccountId, amount)],
                (Withdrawal, PaymentStatus.Success) => [new Leg(payment.AccountId, -amount, -amount), new Leg(providerAccount, amount)],
                (Withdrawal, PaymentStatus.Failed) => [new Leg(payment.AccountId, 0, -amount)],
                _ => [],
            };
            if (legs.Count > 0) book.Apply(batch, locked, legs, payment.Kind, payment.Id, payment.Currency, payment.Kind == Deposit ? "Deposit" : "Withdrawal", now);
            // Public types deposit.succeeded / deposit.failed / withdrawal.*; the audit log keeps deposit.success etc.
            var type = $"{payment.Kind}.{(outcome == PaymentStatus.Success ? "succeeded" : "failed")}";
            events.AddTo(batch, new DomainEvent(type, null, payment.UserId, payment.Kind, payment.Id,
                new { account = payment.AccountId, amount = AccountMapping.Amount(amount, payment.Currency), currency = payment.Currency, reason }, AuditName: $"{payment.Kind}.{outcome}"));
            await batch.ExecuteAsync(c);
            return true;
        }, ct);
    }

    /// <summary>Asks the provider about one pending payment and settles it (or submits it again if the provider never got it).</summary>
    public async Task ReconcileAsync(Payment payment, CancellationToken ct)
    {
        var seen = await provider.GetAsync(payment.ProviderRef ?? payment.Id.ToString(), ct);
        if (seen is null)
        {
            await SubmitAsync(payment.Id, ct); // never reached the provider: send it (same idempotency key)
            return;
        }
        if (seen.Status is PaymentStatus.Success or PaymentStatus.Failed) await SettleAsync(payment.Id, seen.Status, seen.Reason, ct);
    }

    private string? CallbackUrl()
    {
        var baseUrl = options.CallbackBaseUrl;
        if (string.IsNullOrEmpty(baseUrl))
        {
            baseUrl = server.Features.Get<IServerAddressesFeature>()?.Addresses
                .Select(a => a.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal))
                .FirstOrDefault(a => a.StartsWith("http", StringComparison.Ordinal));
        }
        return baseUrl is null ? null : baseUrl.TrimEnd('/') + "/api/v1/payments/callback";
    }
}

/// <summary>Settles payments whose callback never came, by asking the provider.</summary>
public sealed class PaymentReconciler(IServiceScopeFactory scopes, PaymentsOptions options, TimeProvider clock, ILogger<PaymentReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { logger.LogWarning(ex, "Reconciling payments failed; will retry"); }
            try { await Task.Delay(options.ReconcileIntervalMs, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One pass over payments pending for longer than the grace period.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var service = scope.ServiceProvider.GetRequiredService<PaymentService>();
        var before = clock.GetUtcNow().UtcDateTime.AddMilliseconds(-options.ReconcileAfterMs);
        var pending = await db.Payments.AsNoTracking().Where(p => p.Status == PaymentStatus.Pending && p.CreatedAt <= before)
            .OrderBy(p => p.CreatedAt).Take(100).ToListAsync(ct);
        foreach (var payment in pending)
        {
            try { await service.ReconcileAsync(payment, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogInformation(ex, "Payment {PaymentId} not reconciled yet", payment.Id); }
        }
        return pending.Count;
    }
}
