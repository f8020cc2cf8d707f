using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Domain.Ledger;
using PayTrack.Features.Accounts;
using PayTrack.Features.Audit;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Transfers;

public sealed record TransferResponse(
    Guid Id, Guid FromAccountId, Guid ToAccountId, string Amount, string Currency, string Status,
    string? Description, string? FailureReason, DateTime CreatedAt, DateTime? CompletedAt, DateTime? ExpiresAt);

/// <summary>How one transfer request ended.</summary>
public abstract record TransferOutcome
{
    public sealed record Done(Transfer Transfer) : TransferOutcome;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : TransferOutcome;
    public sealed record NotFound(string What) : TransferOutcome;
    /// <summary>A business refusal; <see cref="Failed"/> is the kept failed transfer, when there is one.</summary>
    public sealed record Refused(int Status, string Slug, string Title, string Detail, Transfer? Failed = null) : TransferOutcome;

    public ProblemDetails? ToProblem() => this switch
    {
        Refused r => Problem(r.Status, "/problems/" + r.Slug, r.Title, r.Detail, r.Failed?.Id),
        NotFound n => Problem(404, null, "Not found", $"{n.What} was not found.", null),
        Invalid i => new HttpValidationProblemDetails(i.Errors) { Status = 400, Title = "One or more validation errors occurred.", Detail = "The request is not valid." },
        _ => null,
    };

    private static ProblemDetails Problem(int status, string? type, string title, string detail, Guid? transferId)
    {
        var p = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        if (transferId is { } id) p.Extensions["transferId"] = id;
        return p;
    }
}

/// <summary>A transfer as asked for, before it is checked.</summary>
public sealed record TransferCommand(Guid CallerId, Guid? FromAccountId, Guid? ToAccountId, string? ToEmail, string? Amount, string? Description, bool Hold, int? ExpiresInSeconds);

/// <summary>Checks and books transfers between wallets: immediate ones, holds, and the end of holds.</summary>
public sealed class TransferEngine(PayTrackDb db, Sql sql, LedgerBook book, AuditLog audit, TimeProvider clock)
{
    public const int DefaultHoldSeconds = 7 * 24 * 3600;
    public const int MaxHoldSeconds = 30 * 24 * 3600;

    public static TransferResponse ToResponse(Transfer t) => new(
        t.Id, t.FromAccountId, t.ToAccountId, AccountMapping.Amount(t.AmountMinor, t.Currency), t.Currency, t.Status,
        t.Description, t.FailureReason, t.CreatedAt, t.CompletedAt, t.ExpiresAt);

    /// <summary>A checked transfer, ready to book once its accounts are locked.</summary>
    public sealed record Prepared(Guid Caller, Guid FromId, Guid ToId, Guid? ToUserId, Money Money, string? Description, bool Hold, int? ExpiresIn);

    private readonly Dictionary<Guid, Account?> _accounts = [];
    private readonly Dictionary<(string Email, string Currency), object> _recipients = [];

    /// <summary>Validates, resolves the recipient and books one transfer, inside the caller's transaction.</summary>
    public async Task<TransferOutcome> SendAsync(TransferCommand c, CancellationToken ct)
    {
        var prepared = await PrepareAsync(c, ct);
        if (prepared.Outcome is { } refused) return refused;
        var p = prepared.Ready!;
        var locked = await book.LockAsync([p.FromId, p.ToId], ct);
        var batch = new StatementBatch(sql);
        var outcome = Book(p, locked, batch);
        await batch.ExecuteAsync(ct);
        return outcome;
    }

    /// <summary>Books many transfers in one transaction: every account locked once, in id order, statements sent in chunks.</summary>
    public async Task<List<TransferOutcome>> SendManyAsync(IReadOnlyList<TransferCommand> commands, CancellationToken ct)
    {
        var prepared = new List<(Prepared? Ready, TransferOutcome? Outcome)>(commands.Count);
        foreach (var c in commands) prepared.Add(await PrepareAsync(c, ct));
        var ids = prepared.Where(x => x.Ready is not null).SelectMany(x => new[] { x.Ready!.FromId, x.Ready.ToId }).ToList();
        var locked = ids.Count == 0 ? [] : await book.LockAsync(ids, ct);
        var batch = new StatementBatch(sql);
        var outcomes = new List<TransferOutcome>(commands.Count);
        // Microsoft.Data.Sqlite binds each statement by scanning every parameter of the command, so long
        // commands cost quadratic time there; SQLite is in-process, so small chunks cost no round trips.
        var flushAt = sql.IsSqlite ? 24 : 400;
        foreach (var (ready, outcome) in prepared)
        {
            outcomes.Add(outcome ?? Book(ready!, locked, batch));
            if (batch.Count >= flushAt) await batch.ExecuteAsync(ct);
        }
        await batch.ExecuteAsync(ct);
        return outcomes;
    }

    /// <summary>Checks the request and finds both wallets; reads only.</summary>
    public async Task<(Prepared? Ready, TransferOutcome? Outcome)> PrepareAsync(TransferCommand c, CancellationToken ct)
    {
        var v = new Validation();
        if (c.FromAccountId is null) v.Add("fromAccountId", "fromAccountId is required.");
        if ((c.ToAccountId is null) == string.IsNullOrWhiteSpace(c.ToEmail)) v.Add("toAccountId", "Give exactly one of toAccountId and toEmail.");
        if (c.FromAccountId is { } f && f == c.ToAccountId) v.Add("toAccountId", "A transfer needs two different accounts.");
        v.MaxLength("description", c.Description, 500);
        if (c.ExpiresInSeconds is { } s && (!c.Hold || s < 1 || s > MaxHoldSeconds))
            v.Add("expiresInSeconds", c.Hold ? $"expiresInSeconds must be between 1 and {MaxHoldSeconds}." : "expiresInSeconds only applies to holds (hold: true).");
        if (string.IsNullOrWhiteSpace(c.Amount)) v.Add("amount", "amount is required.");
        if (!v.IsValid) return (null, new TransferOutcome.Invalid(v.Errors));

        if (c.ToAccountId is { } wanted) await LoadAccountsAsync([c.FromAccountId!.Value, wanted], ct);
        var from = await AccountAsync(c.FromAccountId!.Value, ct);
        if (from is null || from.UserId != c.CallerId) return (null, new TransferOutcome.NotFound("The account fromAccountId"));
        var currency = Currency.Get(from.Currency);
        if (!Money.TryParse(c.Amount, currency, out var money, out var error))
            return (null, new TransferOutcome.Invalid(new Dictionary<string, string[]> { ["amount"] = [error] }));

        Account? to;
        if (c.ToAccountId is { } toId)
        {
            to = await AccountAsync(toId, ct);
            if (to is null || to.Kind != AccountKinds.Wallet) return (null, new TransferOutcome.Refused(422, "recipient-not-found", "Recipient not found", "No wallet has that toAccountId."));
        }
        else
        {
            var found = await RecipientAsync(Register.NormalizeEmail(c.ToEmail!), from.Currency, ct);
            if (found is TransferOutcome refusal) return (null, refusal);
            to = (Account)found;
            if (to.Id == from.Id) return (null, new TransferOutcome.Invalid(new Dictionary<string, string[]> { ["toEmail"] = ["A transfer needs two different accounts."] }));
        }
        if (to.Currency != from.Currency)
            return (null, new TransferOutcome.Refused(422, "currency-mismatch", "Currency mismatch", $"The sending wallet holds {from.Currency}, the receiving one {to.Currency}."));

        return (new Prepared(c.CallerId, from.Id, to.Id, to.UserId, money, string.IsNullOrWhiteSpace(c.Description) ? null : c.Description.Trim(), c.Hold,
            c.Hold ? c.ExpiresInSeconds ?? DefaultHoldSeconds : null), null);
    }

    /// <summary>Reads the accounts not seen yet in one query.</summary>
    private async Task LoadAccountsAsync(Guid[] ids, CancellationToken ct)
    {
        var missing = ids.Where(id => !_accounts.ContainsKey(id)).Distinct().ToArray();
        if (missing.Length == 0) return;
        var found = await db.Accounts.AsNoTracking().Where(a => missing.Contains(a.Id)).ToListAsync(ct);
        foreach (var id in missing) _accounts[id] = found.FirstOrDefault(a => a.Id == id);
    }

    private async Task<Account?> AccountAsync(Guid id, CancellationToken ct)
    {
        if (!_accounts.TryGetValue(id, out var account))
            _accounts[id] = account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        return account;
    }

    /// <summary>The recipient's Main (or first) active wallet in the currency, or the refusal.</summary>
    private async Task<object> RecipientAsync(string email, string currency, CancellationToken ct)
    {
        if (_recipients.TryGetValue((email, currency), out var cached)) return cached;
        object result;
        var recipient = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == email).Select(u => new { u.Id, u.Status }).FirstOrDefaultAsync(ct);
        if (recipient is null) result = new TransferOutcome.Refused(422, "recipient-not-found", "Recipient not found", "No PayTrack user has that e-mail address.");
        else if (recipient.Status != UserStatus.Active) result = new TransferOutcome.Refused(422, "account-not-active", "Recipient not active", "The recipient's account is not active.");
        else
        {
            var wallet = await db.Accounts.AsNoTracking()
                .Where(a => a.UserId == recipient.Id && a.Currency == currency && a.Status == "active")
                .OrderBy(a => a.Name == AccountsEndpoints.MainWalletName ? 0 : 1).ThenBy(a => a.Id)
                .FirstOrDefaultAsync(ct);
            result = wallet is null
                ? new TransferOutcome.Refused(422, "currency-mismatch", "No wallet in this currency", $"The recipient has no {currency} wallet.")
                : wallet;
        }
        _recipients[(email, currency)] = result;
        return result;
    }

    /// <summary>Decides on the locked balances and adds the statements that book it; no I/O.</summary>
    public TransferOutcome Book(Prepared p, Dictionary<Guid, LockedAccount> locked, StatementBatch batch)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var money = p.Money;
        var from = locked[p.FromId];
        var to = locked[p.ToId];
        var transfer = new Transfer
        {
            Id = Guid.CreateVersion7(), FromAccountId = p.FromId, ToAccountId = p.ToId, FromUserId = p.Caller, ToUserId = p.ToUserId,
            AmountMinor = money.Minor, Currency = money.Currency.Code, Description = p.Description, IsHold = p.Hold, CreatedAt = now,
        };

        string? refusal = from.Status != "active" || to.Status != "active" ? "account-not-active"
            : from.Available < money.Minor ? "insufficient-funds"
            : null;
        if (refusal is not null)
        {
            transfer.Status = TransferStatus.Failed;
            transfer.FailureReason = refusal == "insufficient-funds" ? "insufficient funds" : "account not active";
            transfer.CompletedAt = now;
            Insert(batch, transfer);
            audit.AddTo(batch, p.Caller, p.Caller, "transfer.failed", "transfer", transfer.Id, Data(transfer));
            return refusal == "insufficient-funds"
                ? new TransferOutcome.Refused(422, refusal, "Insufficient funds", $"The wallet has {AccountMapping.Amount(from.Available, money.Currency.Code)} {money.Currency.Code} available; {money} was asked for.", transfer)
                : new TransferOutcome.Refused(422, refusal, "Account not active", "One of the wallets is not active.", transfer);
        }

        if (p.Hold)
        {
            transfer.Status = TransferStatus.Pending;
            transfer.ExpiresAt = now.AddSeconds(p.ExpiresIn!.Value);
            Insert(batch, transfer);
            book.Apply(batch, locked, [new Leg(p.FromId, 0, money.Minor)], "transfer", transfer.Id, money.Currency.Code, p.Description, now);
            audit.AddTo(batch, p.Caller, p.Caller, "transfer.held", "transfer", transfer.Id, Data(transfer));
        }
        else
        {
            transfer.Status = TransferStatus.Success;
            transfer.CompletedAt = now;
            Insert(batch, transfer);
            book.Apply(batch, locked, [new Leg(p.FromId, -money.Minor), new Leg(p.ToId, money.Minor)], "transfer", transfer.Id, money.Currency.Code, p.Description, now);
            audit.AddTo(batch, p.Caller, p.Caller, "transfer.completed", "transfer", transfer.Id, Data(transfer));
        }
        return new TransferOutcome.Done(transfer);
    }

    /// <summary>Ends a pending hold (capture, void or expire), inside the caller's transaction.</summary>
    public async Task<TransferOutcome> FinishHoldAsync(Guid transferId, string action, Guid? actor, CancellationToken ct)
    {
        var transfer = await db.Transfers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == transferId, ct);
        if (transfer is null) return new TransferOutcome.NotFound("The transfer");
        var locked = await book.LockAsync([transfer.FromAccountId, transfer.ToAccountId], ct);
        // Re-read under the locks: another request may have ended the hold meanwhile.
        transfer = await db.Transfers.AsNoTracking().FirstAsync(t => t.Id == transferId, ct);
        string next;
        try { next = TransferStatus.Next(transfer.Status, action); }
        catch (DomainException e) { return new TransferOutcome.Refused(e.Status, e.Slug, "Not a pending hold", e.Message); }

        var now = clock.GetUtcNow().UtcDateTime;
        var batch = new StatementBatch(sql);
        var amount = transfer.AmountMinor;
        batch.Add("UPDATE transfers SET status = {0}, completed_at = {1} WHERE id = {2} AND status = 'pending'", next, now, transfer.Id);
        IReadOnlyList<Leg> legs = next == TransferStatus.Success
            ? [new Leg(transfer.FromAccountId, -amount, -amount), new Leg(transfer.ToAccountId, amount)]
            : [new Leg(transfer.FromAccountId, 0, -amount)];
        book.Apply(batch, locked, legs, "transfer", transfer.Id, transfer.Currency, transfer.Description, now);
        transfer.Status = next;
        transfer.CompletedAt = now;
        audit.AddTo(batch, actor, transfer.FromUserId, "transfer." + next, "transfer", transfer.Id, Data(transfer));
        await batch.ExecuteAsync(ct);
        return new TransferOutcome.Done(transfer);
    }

    private static object Data(Transfer t) => new
    {
        from = t.FromAccountId, to = t.ToAccountId, amount = AccountMapping.Amount(t.AmountMinor, t.Currency), currency = t.Currency, status = t.Status,
    };

    private static void Insert(StatementBatch batch, Transfer t) => batch.Add(
        "INSERT INTO transfers (id, from_account_id, to_account_id, from_user_id, to_user_id, amount_minor, currency, status, description, failure_reason, is_hold, expires_at, created_at, completed_at) " +
        "VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13})",
        t.Id, t.FromAccountId, t.ToAccountId, t.FromUserId, t.ToUserId, t.AmountMinor, t.Currency, t.Status, t.Description, t.FailureReason, t.IsHold, t.ExpiresAt, t.CreatedAt, t.CompletedAt);
}
