using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Domain.Ledger;
using PayTrack.Features.Accounts;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Outbox;

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

/// <summary>What one transfer request with an Idempotency-Key answers.</summary>
public abstract record SendAnswer
{
    /// <summary>The key was used before (replay or reuse) or is in flight: answer that instead.</summary>
    public sealed record KeyFound(KeyUsed Found) : SendAnswer;

    /// <summary>The answer, exactly as stored with the key; <see cref="Transfer"/> is set when money moved or was held.</summary>
    public sealed record Stored(int Status, string Body, string ContentType, Transfer? Transfer) : SendAnswer;
}

/// <summary>The public types of transfer events (webhooks, notifications); the audit log keeps its own names.</summary>
public static class TransferEvents
{
    public const string Succeeded = "transfer.succeeded";
    public const string Failed = "transfer.failed";
    public const string Held = "transfer.held";
    public const string Voided = "transfer.voided";
    public const string Expired = "transfer.expired";
}

/// <summary>A transfer as asked for, before it is checked.</summary>
public sealed record TransferCommand(Guid CallerId, Guid? FromAccountId, Guid? ToAccountId, string? ToEmail, string? Amount, string? Description, bool Hold, int? ExpiresInSeconds);

/// <summary>Checks and books transfers between wallets: immediate ones, holds, and the end of holds.</summary>
public sealed class TransferEngine(PayTrackDb db, Sql sql, LedgerBook book, DomainEvents events, AccountDirectory directory, AccountQueue queue, IdempotencyStore idempotency, TimeProvider clock)
{
    public const int DefaultHoldSeconds = 7 * 24 * 3600;
    public const int MaxHoldSeconds = 30 * 24 * 3600;

    public static TransferResponse ToResponse(Transfer t) => new(
        t.Id, t.FromAccountId, t.ToAccountId, AccountMapping.Amount(t.AmountMinor, t.Currency), t.Currency, t.Status,
        t.Description, t.FailureReason, t.CreatedAt, t.CompletedAt, t.ExpiresAt);

    /// <summary>A checked transfer, ready to book once its accounts are locked.</summary>
    public sealed record Prepared(Guid Caller, Guid FromId, Guid ToId, Guid? ToUserId, Money Money, string? Description, bool Hold, int? ExpiresIn)
    {
        /// <summary>The receiving wallet is checked (exists, is a wallet, same currency) under its lock, by <c>ledger_send_transfer</c>.</summary>
        public bool RecipientCheckedInBook { get; init; }
    }

    private readonly Dictionary<(string Email, string Currency), object> _recipients = [];

    /// <summary>Validates, resolves the recipient and books one transfer, inside the caller's transaction.</summary>
    public async Task<TransferOutcome> SendAsync(TransferCommand c, CancellationToken ct)
    {
        var prepared = await PrepareAsync(c, ct);
        if (prepared.Outcome is { } refused) return refused;
        var p = prepared.Ready!;
        var locked = await book.LockAsync([p.FromId, p.ToId], ct);
        var set = new BookingSet();
        var outcome = Book(p, locked, set);
        var batch = new StatementBatch(sql);
        await book.AddToAsync(set, batch, ct);
        await batch.ExecuteAsync(ct);
        return outcome;
    }

    /// <summary>
    /// Like <see cref="SendAsync"/>, but a refused transfer is not kept: nothing is written unless the money moves
    /// (a group's wallet settlement records nothing when it is refused, its transfer included).
    /// </summary>
    public async Task<TransferOutcome> SendOrNothingAsync(TransferCommand c, CancellationToken ct)
    {
        var prepared = await PrepareAsync(c, ct);
        if (prepared.Outcome is { } refused) return refused;
        var p = prepared.Ready!;
        var locked = await book.LockAsync([p.FromId, p.ToId], ct);
        var set = new BookingSet();
        var outcome = Book(p, locked, set);
        if (outcome is not TransferOutcome.Done) return outcome;
        var batch = new StatementBatch(sql);
        await book.AddToAsync(set, batch, ct);
        await batch.ExecuteAsync(ct);
        return outcome;
    }

    /// <summary>
    /// Books many transfers in one transaction: every account locked once, in id order; each transfer decided
    /// in memory in turn, on the running balances, exactly as <see cref="Book"/> decides one; then all of them
    /// written set-based, a handful of statements per table and one change per touched account (<see cref="LedgerBook.AddToAsync"/>).
    /// </summary>
    public async Task<List<TransferOutcome>> SendManyAsync(IReadOnlyList<TransferCommand> commands, CancellationToken ct)
    {
        var prepared = new List<(Prepared? Ready, TransferOutcome? Outcome)>(commands.Count);
        foreach (var c in commands) prepared.Add(await PrepareAsync(c, ct));
        var ids = prepared.Where(x => x.Ready is not null).SelectMany(x => new[] { x.Ready!.FromId, x.Ready.ToId }).ToList();
        var locked = ids.Count == 0 ? [] : await book.LockAsync(ids, ct);
        var set = new BookingSet();
        var outcomes = new List<TransferOutcome>(commands.Count);
        foreach (var (ready, outcome) in prepared) outcomes.Add(outcome ?? Book(ready!, locked, set));
        var batch = new StatementBatch(sql);
        await book.AddToAsync(set, batch, ct);
        await batch.ExecuteAsync(ct);
        return outcomes;
    }

    /// <summary>
    /// Checks the request and finds both wallets; reads only. With <paramref name="forSendOnce"/> on
    /// PostgreSQL, a wallet named by id is checked later, under its lock, in the same call that books.
    /// </summary>
    public async Task<(Prepared? Ready, TransferOutcome? Outcome)> PrepareAsync(TransferCommand c, CancellationToken ct, bool forSendOnce = false)
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

        var checkInBook = forSendOnce && !sql.IsSqlite && c.ToAccountId is not null;
        var known = await directory.FindAsync(sql, c.ToAccountId is { } wanted && !checkInBook ? [c.FromAccountId!.Value, wanted] : [c.FromAccountId!.Value], ct);
        var from = known.GetValueOrDefault(c.FromAccountId!.Value);
        if (from is null || (from.UserId != c.CallerId && !await OwnsGroupWalletAsync(from, c.CallerId, ct)))
            return (null, new TransferOutcome.NotFound("The account fromAccountId"));
        var currency = Currency.Get(from.Currency);
        if (!Money.TryParse(c.Amount, currency, out var money, out var error))
            return (null, new TransferOutcome.Invalid(new Dictionary<string, string[]> { ["amount"] = [error] }));
        var description = string.IsNullOrWhiteSpace(c.Description) ? null : c.Description.Trim();
        int? expiresIn = c.Hold ? c.ExpiresInSeconds ?? DefaultHoldSeconds : null;
        if (checkInBook)
            return (new Prepared(c.CallerId, from.Id, c.ToAccountId!.Value, null, money, description, c.Hold, expiresIn) { RecipientCheckedInBook = true }, null);

        AccountFacts? to;
        if (c.ToAccountId is { } toId)
        {
            to = known.GetValueOrDefault(toId);
            if (to is null || to.Kind != AccountKinds.Wallet) return (null, new TransferOutcome.Refused(422, "recipient-not-found", "Recipient not found", "No wallet has that toAccountId."));
        }
        else
        {
            var found = await RecipientAsync(Register.NormalizeEmail(c.ToEmail!), from.Currency, ct);
            if (found is TransferOutcome refusal) return (null, refusal);
            to = (AccountFacts)found;
            if (to.Id == from.Id) return (null, new TransferOutcome.Invalid(new Dictionary<string, string[]> { ["toEmail"] = ["A transfer needs two different accounts."] }));
        }
        if (to.Currency != from.Currency)
            return (null, new TransferOutcome.Refused(422, "currency-mismatch", "Currency mismatch", $"The sending wallet holds {from.Currency}, the receiving one {to.Currency}."));

        return (new Prepared(c.CallerId, from.Id, to.Id, to.UserId, money, description, c.Hold, expiresIn), null);
    }

    /// <summary>
    /// A group's wallet belongs to no user; the group's current owners send from it (issue #12). Asked only for
    /// a wallet without a user, so a person's own transfers never pay for this read.
    /// </summary>
    private async Task<bool> OwnsGroupWalletAsync(AccountFacts from, Guid caller, CancellationToken ct) =>
        from.UserId is null && from.Kind == AccountKinds.Wallet &&
        await db.Groups.AnyAsync(g => g.WalletId == from.Id && g.DeletedAt == null &&
            db.GroupMembers.Any(m => m.GroupId == g.Id && m.UserId == caller && m.LeftAt == null && m.Role == GroupRoles.Owner), ct);

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
                .Where(a => a.UserId == recipient.Id && a.Currency == currency && a.Status == AccountStatus.Active)
                .OrderBy(a => a.Name == AccountsEndpoints.MainWalletName ? 0 : 1).ThenBy(a => a.Id)
                .FirstOrDefaultAsync(ct);
            result = wallet is null
                ? new TransferOutcome.Refused(422, "currency-mismatch", "No wallet in this currency", $"The recipient has no {currency} wallet.")
                : new AccountFacts(wallet.Id, wallet.UserId, wallet.Currency, wallet.Kind);
        }
        _recipients[(email, currency)] = result;
        return result;
    }

    /// <summary>
    /// Books one checked transfer and stores its answer with the Idempotency-Key, in one transaction
    /// that also checks the key (no separate claim). On PostgreSQL the whole of it is one call of
    /// <c>ledger_send_transfer</c>; on SQLite, where round trips are free, the same steps run here.
    /// </summary>
    public Task<SendAnswer> SendOnceAsync(Prepared p, RequestKey key, CancellationToken ct) =>
        sql.IsSqlite ? SqliteGroupCommit.RunAsync(db, sql, c => SendOnceHereAsync(p, key, c), ct)
        : SendOnceInPostgresAsync(p, key, ct);

    /// <summary>Stores a refusal found while checking the request (nothing to book) with the key, unless the key was used already.</summary>
    public Task<SendAnswer> RefuseOnceAsync(TransferOutcome refusal, RequestKey key, CancellationToken ct) =>
        Sql.InTransactionAsync(db, async c =>
        {
            if (await idempotency.CheckInTransactionAsync(key, c) is { } found) return (SendAnswer)new SendAnswer.KeyFound(found);
            var problem = refusal.ToProblem()!;
            var (body, type) = idempotency.ToStored(problem);
            var batch = new StatementBatch(sql);
            idempotency.AddDone(batch, key, problem.Status!.Value, body, type, clock.GetUtcNow().UtcDateTime);
            await batch.ExecuteAsync(c);
            return new SendAnswer.Stored(problem.Status!.Value, body, type, null);
        }, ct);

    private async Task<SendAnswer> SendOnceHereAsync(Prepared p, RequestKey key, CancellationToken c)
    {
        {
            if (await idempotency.CheckInTransactionAsync(key, c) is { } found) return (SendAnswer)new SendAnswer.KeyFound(found);
            var locked = await book.LockAsync([p.FromId, p.ToId], c);
            var set = new BookingSet();
            var outcome = Book(p, locked, set);
            var batch = new StatementBatch(sql);
            await book.AddToAsync(set, batch, c);
            var done = (outcome as TransferOutcome.Done)?.Transfer;
            var status = done is null ? outcome.ToProblem()!.Status!.Value : 201;
            var (body, type) = done is null ? idempotency.ToStored(outcome.ToProblem()) : idempotency.ToStored(ToResponse(done));
            idempotency.AddDone(batch, key, status, body, type, clock.GetUtcNow().UtcDateTime);
            await batch.ExecuteAsync(c);
            return new SendAnswer.Stored(status, body, type, done);
        }
    }

    /// <summary>
    /// PostgreSQL's one round trip: <c>ledger_apply_transfer</c> takes the key's advisory lock, locks both wallets
    /// and books the prepared transfer only when every precondition holds. It decides nothing: an existing key
    /// row is judged here (<see cref="IdempotencyStore.Judge"/>), and a refusal is decided here by
    /// <see cref="Book"/> from the facts the function read under its locks, then stored in a second, short
    /// transaction (refusals are rare; successes keep their single round trip).
    /// </summary>
    private async Task<SendAnswer> SendOnceInPostgresAsync(Prepared p, RequestKey key, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var money = p.Money;
        var transfer = NewTransfer(p, now, Guid.CreateVersion7());
        transfer.Status = p.Hold ? TransferStatus.Pending : TransferStatus.Success;
        transfer.CompletedAt = p.Hold ? null : now;
        transfer.ExpiresAt = p.Hold ? now.AddSeconds(p.ExpiresIn!.Value) : null;
        var (okBody, okType) = idempotency.ToStored(ToResponse(transfer));
        var booked = p.Hold
            ? new DomainEvent(TransferEvents.Held, p.Caller, p.Caller, "transfer", transfer.Id, Data(transfer))
            : new DomainEvent(TransferEvents.Succeeded, p.Caller, p.Caller, "transfer", transfer.Id, Data(transfer), AuditName: "transfer.completed");
        var outbox = events.OutboxRows(booked);
        object?[] args =
        [
            key.UserId, key.Key, key.RequestHash,
            transfer.Id, p.FromId, p.ToId, money.Minor, money.Currency.Code,
            p.Description, p.Hold, transfer.ExpiresAt, now,
            Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
            okBody, booked.AuditName ?? booked.Type, AuditRows.DataText(booked.Data),
            outbox.Ids, outbox.Handlers, booked.Type, outbox.Data,
        ];
        ApplyResult row;
        // Wait for the wallets' turn in the app, so only one call per hot wallet waits on its row lock.
        await using (await queue.EnterAsync(p.FromId, p.ToId, ct))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    row = (await sql.QueryAsync(ApplyFunctionCall, args, ApplyResult.Read, ct))[0];
                    break;
                }
                // Safe to repeat: the key makes a call that did commit answer as a replay.
                catch (Exception e) when (attempt < 5 && DbErrors.IsTransient(e))
                {
                    await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
                }
            }
        }
        switch (row.Outcome)
        {
            case "done":
                TransferMetrics.Booked(p.Hold ? TransferStatus.Pending : TransferStatus.Success);
                return new SendAnswer.Stored(201, okBody, okType, transfer);
            case "in-flight":
                return new SendAnswer.KeyFound(new KeyUsed.InFlight());
            case "key-found":
                var (answer, _) = IdempotencyStore.Judge(row.Key!, key.RequestHash, now);
                // A claim left by a request that died: the steps in C# take it over, in one transaction.
                return answer is null
                    ? await Sql.InTransactionAsync(db, c => SendOnceHereAsync(p, key, c), ct)
                    : new SendAnswer.KeyFound(answer);
            default:
                return await RefuseOnFactsAsync(p, key, row, ct);
        }
    }

    /// <summary>Decides the refusal from what <c>ledger_apply_transfer</c> read under its locks, and stores it with the key.</summary>
    private Task<SendAnswer> RefuseOnFactsAsync(Prepared p, RequestKey key, ApplyResult facts, CancellationToken ct) =>
        Sql.InTransactionAsync(db, async c =>
        {
            if (await idempotency.CheckInTransactionAsync(key, c) is { } found) return (SendAnswer)new SendAnswer.KeyFound(found);
            var locked = new Dictionary<Guid, LockedAccount>
            {
                [p.FromId] = new(p.FromId, p.Caller, p.Money.Currency.Code, AccountKinds.Wallet, facts.FromStatus ?? "missing", facts.FromAvailable ?? 0, 0),
            };
            if (facts.ToKind is not null)
                locked[p.ToId] = new(p.ToId, facts.ToUser, facts.ToCurrency!, facts.ToKind, facts.ToStatus!, 0, 0);
            var set = new BookingSet();
            var outcome = Book(p, locked, set);
            if (outcome is TransferOutcome.Done)
                throw new InvalidOperationException("ledger_apply_transfer refused a transfer that TransferEngine.Book accepts: the function's precondition and the rule disagree.");
            var problem = outcome.ToProblem()!;
            var (body, type) = idempotency.ToStored(problem);
            var batch = new StatementBatch(sql);
            await book.AddToAsync(set, batch, c);
            idempotency.AddDone(batch, key, problem.Status!.Value, body, type, clock.GetUtcNow().UtcDateTime);
            await batch.ExecuteAsync(c);
            return new SendAnswer.Stored(problem.Status!.Value, body, type, null);
        }, ct);

    /// <summary>One row of <c>ledger_apply_transfer</c>: its outcome, an existing key's row, and the facts read under the locks.</summary>
    private sealed record ApplyResult(string Outcome, IdempotencyStore.StoredKey? Key,
        string? FromStatus, long? FromAvailable, string? ToStatus, string? ToKind, string? ToCurrency, Guid? ToUser)
    {
        public static ApplyResult Read(System.Data.Common.DbDataReader r) => new(
            r.GetString(0),
            r.IsDBNull(1) ? null : new IdempotencyStore.StoredKey(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? 0 : r.GetInt32(3),
                Sql.ReadStringOrNull(r, 4), Sql.ReadStringOrNull(r, 5), Sql.ReadDate(r, 6)),
            Sql.ReadStringOrNull(r, 7), r.IsDBNull(8) ? null : r.GetInt64(8), Sql.ReadStringOrNull(r, 9), Sql.ReadStringOrNull(r, 10),
            Sql.ReadStringOrNull(r, 11), Sql.ReadGuidOrNull(r, 12));
    }

    /// <summary>The transfer row a checked request becomes, before its status is decided.</summary>
    private static Transfer NewTransfer(Prepared p, DateTime now, Guid id) => new()
    {
        Id = id, FromAccountId = p.FromId, ToAccountId = p.ToId, FromUserId = p.Caller, ToUserId = p.ToUserId,
        AmountMinor = p.Money.Minor, Currency = p.Money.Currency.Code, Description = p.Description, IsHold = p.Hold, CreatedAt = now,
    };

    private static readonly string ApplyFunctionCall = "SELECT * FROM ledger_apply_transfer(" +
        string.Join(", ", Enumerable.Range(0, 22).Select(i => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";

    /// <summary>
    /// Decides on the locked balances (moving them in <paramref name="locked"/>) and adds the rows that book it
    /// to <paramref name="set"/>; no I/O. Many transfers may be decided into one set, one after the other.
    /// </summary>
    public TransferOutcome Book(Prepared p, Dictionary<Guid, LockedAccount> locked, BookingSet set)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var money = p.Money;
        if (p.RecipientCheckedInBook)
        {
            // The receiving wallet named by id, checked under its lock; refusals about it keep no failed transfer.
            if (!locked.TryGetValue(p.ToId, out var recipient) || recipient.Kind != AccountKinds.Wallet)
                return new TransferOutcome.Refused(422, "recipient-not-found", "Recipient not found", "No wallet has that toAccountId.");
            if (recipient.Currency != money.Currency.Code)
                return new TransferOutcome.Refused(422, "currency-mismatch", "Currency mismatch", $"The sending wallet holds {money.Currency.Code}, the receiving one {recipient.Currency}.");
            p = p with { ToUserId = recipient.UserId };
        }
        var from = locked[p.FromId];
        var to = locked[p.ToId];
        var transfer = NewTransfer(p, now, Guid.CreateVersion7());

        string? refusal = from.Status != AccountStatus.Active || to.Status != AccountStatus.Active ? "account-not-active"
            : from.Available < money.Minor ? "insufficient-funds"
            : null;
        TransferMetrics.Booked(refusal is not null ? TransferStatus.Failed : p.Hold ? TransferStatus.Pending : TransferStatus.Success);
        if (refusal is not null)
        {
            transfer.Status = TransferStatus.Failed;
            transfer.FailureReason = refusal == "insufficient-funds" ? "insufficient funds" : "account not active";
            transfer.CompletedAt = now;
            Insert(set.Rows, transfer);
            events.AddTo(set.Rows, new DomainEvent(TransferEvents.Failed, p.Caller, p.Caller, "transfer", transfer.Id, Data(transfer)));
            return refusal == "insufficient-funds"
                ? new TransferOutcome.Refused(422, refusal, "Insufficient funds", $"The wallet has {AccountMapping.Amount(from.Available, money.Currency.Code)} {money.Currency.Code} available; {money} was asked for.", transfer)
                : new TransferOutcome.Refused(422, refusal, "Account not active", "One of the wallets is not active.", transfer);
        }

        if (p.Hold)
        {
            transfer.Status = TransferStatus.Pending;
            transfer.ExpiresAt = now.AddSeconds(p.ExpiresIn!.Value);
            Insert(set.Rows, transfer);
            book.Apply(set, locked, [new Leg(p.FromId, 0, money.Minor)], "transfer", transfer.Id, money.Currency.Code, p.Description, now);
            events.AddTo(set.Rows, new DomainEvent(TransferEvents.Held, p.Caller, p.Caller, "transfer", transfer.Id, Data(transfer)));
        }
        else
        {
            transfer.Status = TransferStatus.Success;
            transfer.CompletedAt = now;
            Insert(set.Rows, transfer);
            book.Apply(set, locked, [new Leg(p.FromId, -money.Minor), new Leg(p.ToId, money.Minor)], "transfer", transfer.Id, money.Currency.Code, p.Description, now);
            events.AddTo(set.Rows, new DomainEvent(TransferEvents.Succeeded, p.Caller, p.Caller, "transfer", transfer.Id, Data(transfer), AuditName: "transfer.completed"));
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

        // Money only reaches an active wallet: a capture into a closed or suspended one is refused and the hold stays pending
        // (the sender may void it; otherwise it expires), exactly as a direct transfer to that wallet is refused.
        if (next == TransferStatus.Success && (locked[transfer.FromAccountId].Status != AccountStatus.Active || locked[transfer.ToAccountId].Status != AccountStatus.Active))
            return new TransferOutcome.Refused(422, "account-not-active", "Account not active", "One of the wallets is not active, so the hold cannot be captured. Void it to release the money.");

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
        var type = next switch { TransferStatus.Success => TransferEvents.Succeeded, TransferStatus.Voided => TransferEvents.Voided, _ => TransferEvents.Expired };
        events.AddTo(batch, new DomainEvent(type, actor, transfer.FromUserId, "transfer", transfer.Id, Data(transfer), AuditName: "transfer." + next));
        await batch.ExecuteAsync(ct);
        TransferMetrics.HoldEnded(next);
        return new TransferOutcome.Done(transfer);
    }

    private static object Data(Transfer t) => new
    {
        from = t.FromAccountId, to = t.ToAccountId, amount = AccountMapping.Amount(t.AmountMinor, t.Currency), currency = t.Currency, status = t.Status,
    };

    private static readonly RowTable Transfers = new("transfers",
        ("id", "uuid"), ("from_account_id", "uuid"), ("to_account_id", "uuid"), ("from_user_id", "uuid"), ("to_user_id", "uuid"),
        ("amount_minor", "bigint"), ("currency", "text"), ("status", "text"), ("description", "text"), ("failure_reason", "text"),
        ("is_hold", "boolean"), ("expires_at", "timestamptz"), ("created_at", "timestamptz"), ("completed_at", "timestamptz"));

    private static void Insert(RowBatch rows, Transfer t) => rows.Add(Transfers,
        t.Id, t.FromAccountId, t.ToAccountId, t.FromUserId, t.ToUserId, t.AmountMinor, t.Currency, t.Status, t.Description, t.FailureReason, t.IsHold, t.ExpiresAt, t.CreatedAt, t.CompletedAt);
}
