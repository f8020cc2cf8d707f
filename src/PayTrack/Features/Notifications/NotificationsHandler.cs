using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Domain;
using PayTrack.Features.Budgets;
using PayTrack.Features.ExchangeRates;
using PayTrack.Infrastructure.Live;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Notifications;

/// <summary>
/// Turns domain events into notifications, after their transaction committed: money received, a
/// deposit or withdrawal settled, a budget crossing 80 % or 100 % of its current period (once each per
/// period, whether the expense was typed, edited or imported), and security changes. Each message is
/// handled in one transaction that writes the notifications and queues their e-mails (see
/// <see cref="Notifier"/>); a redelivered message writes nothing twice.
/// </summary>
public sealed class NotificationsHandler(IServiceScopeFactory scopes, ILiveBus bus, ILogger<NotificationsHandler> logger) : IOutboxBatchHandler
{
    public const string HandlerName = "notifications";
    /// <summary>Recorded when a password changes.</summary>
    public const string PasswordChanged = "user.password-changed";
    /// <summary>Recorded once per statement import that stored expenses.</summary>
    public const string ExpensesImported = "expenses.imported";

    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "transfer.succeeded", "deposit.succeeded", "deposit.failed", "withdrawal.succeeded", "withdrawal.failed",
        "expense.created", "expense.updated", ExpensesImported, PasswordChanged,
        GroupExpenseCreated, GroupExpenseUpdated, GroupSettlementCreated,
    };

    /// <summary>Group events that concern members other than the one who acted (their data's <c>userIds</c>).</summary>
    public const string GroupExpenseCreated = "group.expense.created";
    public const string GroupExpenseUpdated = "group.expense.updated";
    public const string GroupSettlementCreated = "group.settlement.created";

    public string Name => HandlerName;
    public bool Handles(string eventType) => Types.Contains(eventType);

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        var failed = await HandleBatchAsync([message], ct);
        if (failed.TryGetValue(message.Id, out var error)) throw new InvalidOperationException(error);
    }

    /// <summary>
    /// A round's messages in one transaction, with one read per kind of fact they need (accounts, names,
    /// settings) and one insert per table; if that fails, one by one, so one bad message does not hold up
    /// the others.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, string>> HandleBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        try
        {
            await WriteAndPublishAsync(messages, ct);
            return new Dictionary<Guid, string>();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && messages.Count > 1)
        {
            logger.LogWarning(ex, "Notifications for a round of {Count} messages failed together; trying them one by one", messages.Count);
            var failed = new Dictionary<Guid, string>();
            foreach (var message in messages)
            {
                try { await WriteAndPublishAsync([message], ct); }
                catch (Exception one) when (!ct.IsCancellationRequested) { failed[message.Id] = one.Message; }
            }
            return failed;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return new Dictionary<Guid, string> { [messages[0].Id] = ex.Message };
        }
    }

    private async Task WriteAndPublishAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var written = new List<Notifier.Written>();
        var emails = new List<OutboxMessage>();
        await Sql.InTransactionAsync(db, async c =>
        {
            db.ChangeTracker.Clear(); // a retried transaction starts from what the database holds
            written.Clear();
            emails.Clear();
            var drafts = new List<(NotificationDraft, Guid)>();
            foreach (var (draft, source) in await TransfersReceivedAsync(db, messages.Where(m => m.Type == Transfers.TransferEvents.Succeeded).ToList(), c)) drafts.Add((draft, source));
            foreach (var message in messages.Where(m => m.Type != Transfers.TransferEvents.Succeeded))
                foreach (var draft in await DraftsAsync(scope.ServiceProvider, message, c)) drafts.Add((draft, message.SourceId));
            var added = await scope.ServiceProvider.GetRequiredService<Notifier>().AddManyAsync(drafts, c);
            written.AddRange(added.InApp);
            emails.AddRange(added.ClaimedEmails);
            return 0;
        }, ct);
        OutboxRound.Current?.DeliverAlso(emails); // committed: the round sends them next
        await PublishAsync(written, ct);
    }

    /// <summary>
    /// After commit: each new notification to its user's live stream (<c>GET /me/events</c>, <c>event: notification</c>,
    /// <c>{ action, entityId, at, kind }</c>), so an open page's bell counts up; a round's signals go out together.
    /// A lost signal costs only liveness: the bell is right again on the next page load.
    /// </summary>
    private async Task PublishAsync(List<Notifier.Written> written, CancellationToken ct)
    {
        if (written.Count == 0) return;
        try
        {
            await bus.PublishManyAsync(written.Select(w => new LiveMessage(Me.StreamMyEvents.Topic(w.UserId), Me.StreamMyEvents.NotificationEvent,
                JsonSerializer.Serialize(new { action = "created", entityId = w.Id, at = w.At, kind = w.Kind }, LiveJson))).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Live notification signals for {Count} notifications were not sent", written.Count);
        }
    }

    private static readonly JsonSerializerOptions LiveJson = new(JsonSerializerDefaults.Web);

    private static async Task<List<NotificationDraft>> DraftsAsync(IServiceProvider services, OutboxMessage message, CancellationToken c)
    {
        var db = services.GetRequiredService<PayTrackDb>();
        using var data = JsonDocument.Parse(message.Data);
        return message.Type switch
        {
            "deposit.succeeded" or "deposit.failed" or "withdrawal.succeeded" or "withdrawal.failed" => PaymentSettled(message, data.RootElement),
            PasswordChanged when message.UserId is { } user => [PasswordChangedDraft(user, message.CreatedAt)],
            GroupExpenseCreated or GroupExpenseUpdated or GroupSettlementCreated => await GroupChangeAsync(db, message, data.RootElement, c),
            GroupInviteNotice.Type => await GroupInviteNotice.DraftsAsync(services, message, data.RootElement, c),
            "expense.created" or "expense.updated" or ExpensesImported when message.UserId is { } user =>
                await BudgetThresholdsAsync(db, services.GetRequiredService<ExchangeRateCache>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<Sql>(), user, c),
            _ => [],
        };
    }

    /// <summary>Money received, for a round's transfers: one read of the wallets' owners and one of the senders' names.</summary>
    private static async Task<List<(NotificationDraft Draft, Guid Source)>> TransfersReceivedAsync(PayTrackDb db, List<OutboxMessage> messages, CancellationToken ct)
    {
        var drafts = new List<(NotificationDraft, Guid)>();
        if (messages.Count == 0) return drafts;
        var transfers = messages.Select(m => (Message: m, Data: Transfers.TransferSucceededData.Read(m))).ToList();
        var owners = await Transfers.TransferSucceededData.OwnersAsync(db, transfers.SelectMany(t => new[] { t.Data.From, t.Data.To }), ct);
        var senderIds = transfers.Select(t => owners.TryGetValue(t.Data.From, out var u) ? u : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => senderIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        foreach (var t in transfers)
        {
            Guid? sender = owners.TryGetValue(t.Data.From, out var from) ? from : null;
            if (!owners.TryGetValue(t.Data.To, out var userId) || userId == sender) continue; // between one's own wallets: nothing to tell
            var senderName = sender is { } s && names.TryGetValue(s, out var n) ? n : "Someone";
            var (amount, currency, at, to) = (t.Data.Amount, t.Data.Currency, t.Message.CreatedAt, t.Data.To);
            drafts.Add((new NotificationDraft(userId, NotificationKinds.TransferReceived, $"/wallets/{to}", f => new NotificationContent(
                $"You received {f.Money(amount, currency)}",
                $"{senderName} sent you {f.Money(amount, currency)}.",
                [("Amount", f.Money(amount, currency)), ("From", senderName), ("When", f.Moment(at))])), t.Message.SourceId));
        }
        return drafts;
    }

    private static List<NotificationDraft> PaymentSettled(OutboxMessage m, JsonElement data)
    {
        if (m.UserId is not { } userId) return [];
        var deposit = m.Type.StartsWith("deposit.", StringComparison.Ordinal);
        var succeeded = m.Type.EndsWith(".succeeded", StringComparison.Ordinal);
        var amount = data.GetProperty("amount").GetString()!;
        var currency = data.GetProperty("currency").GetString()!;
        var reason = data.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var account = data.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.String ? a.GetGuid() : (Guid?)null;
        var what = deposit ? "deposit" : "withdrawal";
        var at = m.CreatedAt;
        return [new NotificationDraft(userId, deposit ? NotificationKinds.DepositCompleted : NotificationKinds.WithdrawalCompleted,
            account is { } id ? $"/wallets/{id}" : "/wallets", f =>
            {
                var money = f.Money(amount, currency);
                var facts = new List<(string, string)> { ("Amount", money), ("Status", succeeded ? "completed" : "failed") };
                if (!succeeded && reason is not null) facts.Add(("Reason", reason));
                facts.Add(("When", f.Moment(at)));
                return succeeded
                    ? new NotificationContent($"Your {what} of {money} completed",
                        deposit ? $"{money} arrived in your wallet." : $"{money} left your wallet for your bank.", facts)
                    : new NotificationContent($"Your {what} of {money} failed",
                        deposit ? $"The payment provider did not take your deposit of {money}; nothing was added to your wallet."
                                : $"Your withdrawal of {money} did not go through; the money is back in your wallet.", facts);
            })];
    }

    /// <summary>
    /// A group expense that involves you (you paid or share it) added or changed by someone else, or a member
    /// paying you back: each member named in the event's <c>userIds</c> except the one who acted.
    /// </summary>
    private static async Task<List<NotificationDraft>> GroupChangeAsync(PayTrackDb db, OutboxMessage m, JsonElement data, CancellationToken ct)
    {
        if (!data.TryGetProperty("groupId", out var g) || !g.TryGetGuid(out var groupId) || !data.TryGetProperty("userIds", out var ids)) return [];
        var actor = m.UserId;
        var recipients = ids.EnumerateArray().Select(e => e.GetGuid()).Where(u => u != actor).Distinct().ToList();
        if (recipients.Count == 0) return [];
        var group = await db.Groups.AsNoTracking().Where(x => x.Id == groupId).Select(x => new { x.Name }).FirstOrDefaultAsync(ct);
        if (group is null) return [];
        // Someone removed from the group since the change hears nothing more about it.
        recipients = await db.GroupMembers.AsNoTracking().Where(x => x.GroupId == groupId && recipients.Contains(x.UserId) && x.LeftAt == null).Select(x => x.UserId).ToListAsync(ct);
        var actorName = actor is { } a ? await db.Users.AsNoTracking().Where(u => u.Id == a).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        actorName ??= "Someone";
        var summary = data.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? "" : "";
        var at = m.CreatedAt;
        var link = $"/groups/{groupId}";
        return m.Type switch
        {
            GroupSettlementCreated => recipients.Select(u => new NotificationDraft(u, NotificationKinds.SettlementReceived, link, f => new NotificationContent(
                $"{actorName} paid you back in {group.Name}",
                $"{actorName} {summary}.",
                [("Group", group.Name), ("From", actorName), ("When", f.Moment(at))]))).ToList(),
            _ => recipients.Select(u => new NotificationDraft(u, NotificationKinds.GroupExpense, link, f => new NotificationContent(
                m.Type == GroupExpenseCreated ? $"{actorName} added an expense in {group.Name}" : $"{actorName} changed an expense in {group.Name}",
                $"{actorName} {summary}. Your share is on the group's page.",
                [("Group", group.Name), ("By", actorName), ("When", f.Moment(at))]))).ToList(),
        };
    }

    private static NotificationDraft PasswordChangedDraft(Guid userId, DateTime at) =>
        new(userId, NotificationKinds.Security, "/settings", f => new NotificationContent(
            "Your password was changed",
            "The password of your PayTrack account was changed and your other sessions were signed out. If this was not you, reset your password and tell your administrator.",
            [("When", f.Moment(at))]));

    /// <summary>
    /// Every budget of the user whose current period is at or past 80 % / 100 %: a threshold is recorded
    /// once per period (the insert is the gate), and only the highest newly crossed one is told.
    /// </summary>
    private static async Task<List<NotificationDraft>> BudgetThresholdsAsync(PayTrackDb db, ExchangeRateCache rates, TimeProvider clock, Sql sql, Guid userId, CancellationToken ct)
    {
        var drafts = new List<NotificationDraft>();
        var budgets = await db.Budgets.AsNoTracking().Where(b => b.UserId == userId).ToListAsync(ct);
        var today = BudgetLogic.Today(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var budget in budgets)
        {
            if (budget.AmountMinor <= 0) continue;
            var status = await BudgetLogic.ToResponseAsync(db, rates, budget, today, ct);
            var currency = Currency.Get(budget.Currency);
            if (!Money.TryParse(status.Spent, currency, out var spent, out _, allowZero: true, allowNegative: true)) continue;
            var crossed = new[] { 80, 100 }.Where(t => spent.Minor * 100 >= budget.AmountMinor * t).ToList();
            var told = 0;
            foreach (var threshold in crossed)
            {
                var inserted = await sql.ExecAsync("INSERT INTO budget_alerts (budget_id, period_start, threshold, created_at) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT DO NOTHING",
                    [budget.Id, status.PeriodStart, threshold, now], ct);
                if (inserted == 1) told = threshold;
            }
            if (told == 0) continue;
            var (name, limit, spentMinor, start, end) = (budget.Name, budget.AmountMinor, spent.Minor, status.PeriodStart, status.PeriodEnd);
            drafts.Add(new NotificationDraft(userId, NotificationKinds.BudgetThreshold, "/budgets", f => new NotificationContent(
                told == 100 ? $"Budget “{name}” is used up" : $"Budget “{name}” is at 80 %",
                $"You have spent {f.Money(spentMinor, currency.Code)} of {f.Money(limit, currency.Code)} in this period ({f.Day(start)} – {f.Day(end)}).",
                [("Spent", f.Money(spentMinor, currency.Code)), ("Budget", f.Money(limit, currency.Code)), ("Threshold", $"{told} %"), ("Period", $"{f.Day(start)} – {f.Day(end)}")])));
        }
        return drafts;
    }
}
