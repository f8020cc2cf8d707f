using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Audit;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Outbox;
using PayTrack.Infrastructure.Idempotency;

namespace PayTrack.Features.Accounts;

public sealed record CreateAccountRequest(string? Name, string? Currency);

public static class AccountsEndpoints
{
    public const string MainWalletName = "Main";

    /// <summary>The caller's wallets and their postings.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/", ListAccounts.Handle).WithSummary("The caller's wallets.");
        group.MapPost("/", OpenAccount.Handle).HonourIdempotencyKey().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Open another wallet.").WithDescription("Wallet names are unique per user (409 /problems/account-name-taken).");
        group.MapGet("/{id:guid}", GetAccount.Handle).WithSummary("One wallet with balance and available amount.");
        group.MapGet("/{id:guid}/entries", ListEntries.Handle).WithSummary("The wallet's postings, newest first, paged.");
        return app;
    }

    public static Account NewWallet(Guid userId, string name, string currency, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = userId,
        Name = name,
        Currency = currency,
        Kind = AccountKinds.Wallet,
        Status = AccountStatus.Active,
        CreatedAt = now,
        UpdatedAt = now,
    };
}

/// <summary>A list that is never paged (a user has a handful of wallets).</summary>
public sealed record ItemsResponse<T>(IReadOnlyList<T> Items);

/// <summary>Every new user gets a <c>Main</c> wallet in their default currency.</summary>
public sealed class MainWalletProvisioner(TimeProvider clock, DomainEvents events) : IUserProvisioner
{
    public async Task ProvisionAsync(PayTrackDb db, User user, CancellationToken ct)
    {
        var wallet = AccountsEndpoints.NewWallet(user.Id, AccountsEndpoints.MainWalletName, user.DefaultCurrency, clock.GetUtcNow().UtcDateTime);
        db.Accounts.Add(wallet);
        events.AddTo(db, new DomainEvent("account.opened", user.Id, user.Id, "account", wallet.Id, new { wallet.Name, wallet.Currency }));
        await db.SaveChangesAsync(ct);
    }
}
