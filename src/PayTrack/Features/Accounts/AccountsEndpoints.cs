using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Audit;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Accounts;

public sealed record CreateAccountRequest(string? Name, string? Currency);

public static class AccountsEndpoints
{
    public const string MainWalletName = "Main";

    /// <summary>The caller's wallets and their postings.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/", List).WithSummary("The caller's wallets.");
        group.MapPost("/", Create).HonourIdempotencyKey().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Open another wallet.").WithDescription("Wallet names are unique per user (409 /problems/account-name-taken).");
        group.MapGet("/{id:guid}", Get).WithSummary("One wallet with balance and available amount.");
        group.MapGet("/{id:guid}/entries", Entries).WithSummary("The wallet's postings, newest first, paged.");
        return app;
    }

    public static async Task<Ok<ItemsResponse<AccountResponse>>> List(ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.UserId == me).OrderBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(new ItemsResponse<AccountResponse>(accounts.Select(a => a.ToResponse()).ToList()));
    }

    public static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAccountRequest request, ClaimsPrincipal principal, PayTrackDb db, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().Require("name", request.Name, "name is required.").MaxLength("name", request.Name?.Trim(), 100);
        if (!Currency.IsSupported(request.Currency)) v.Add("currency", $"'{request.Currency}' is not a supported ISO 4217 currency code.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var me = principal.UserId();
        var name = request.Name!.Trim();
        if (await db.Accounts.AnyAsync(a => a.UserId == me && a.Name == name, ct))
            return ProblemSetup.Problem(409, "account-name-taken", "Name already used", $"You already have a wallet named '{name}'.");
        var now = clock.GetUtcNow().UtcDateTime;
        var account = NewWallet(me, name, Currency.Get(request.Currency!).Code, now);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Accounts.Add(account);
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(me, me, "account.opened", "account", account.Id, new { account.Name, account.Currency }, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return ProblemSetup.Problem(409, "account-name-taken", "Name already used", $"You already have a wallet named '{name}'.");
        }
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", account.ToResponse());
    }

    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var me = principal.UserId();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.UserId == me, ct);
        return account is null ? ProblemSetup.NotFound("The account") : TypedResults.Ok(account.ToResponse());
    }

    public static async Task<Results<Ok<Page<EntryResponse>>, ValidationProblem, ProblemHttpResult>> Entries(
        Guid id, int? limit, string? cursor, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        var v = new Validation();
        var (take, after) = Paging.Read(limit, cursor, v);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var me = principal.UserId();
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == id && a.UserId == me).Select(a => new { a.Currency }).FirstOrDefaultAsync(ct);
        if (account is null) return ProblemSetup.NotFound("The account");

        var query = db.Postings.AsNoTracking().Where(p => p.AccountId == id);
        if (after is { } a) query = query.Where(p => p.Id.CompareTo(a) < 0);
        var rows = await query.OrderByDescending(p => p.Id).Take(take + 1)
            .Join(db.JournalEntries, p => p.EntryId, e => e.Id, (p, e) => new { p.Id, e.ReferenceId, p.AmountMinor, p.BalanceAfterMinor, e.Description, p.CreatedAt })
            .OrderByDescending(x => x.Id)
            .ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, r => r.Id, r => new EntryResponse(
            r.Id, r.ReferenceId, AccountMapping.Amount(Math.Abs(r.AmountMinor), account.Currency), account.Currency,
            r.AmountMinor < 0 ? "debit" : "credit", AccountMapping.Amount(r.BalanceAfterMinor, account.Currency), r.Description, r.CreatedAt)));
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
public sealed class MainWalletProvisioner(TimeProvider clock, AuditLog audit) : IUserProvisioner
{
    public async Task ProvisionAsync(PayTrackDb db, User user, CancellationToken ct)
    {
        var wallet = AccountsEndpoints.NewWallet(user.Id, AccountsEndpoints.MainWalletName, user.DefaultCurrency, clock.GetUtcNow().UtcDateTime);
        db.Accounts.Add(wallet);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(user.Id, user.Id, "user.registered", "user", user.Id, new { user.Email, user.Role, user.DefaultCurrency }, ct);
        await audit.RecordAsync(user.Id, user.Id, "account.opened", "account", wallet.Id, new { wallet.Name, wallet.Currency }, ct);
    }
}
