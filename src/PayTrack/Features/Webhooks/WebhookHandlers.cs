using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Webhooks;

/// <summary>
/// Delivers an event to the webhooks that subscribed to it and whose owner may see it. A dispatcher
/// round's events are handled together: one read of who may see them and of their webhooks, every
/// first attempt sent concurrently, then one transaction that logs the attempts and queues, as a
/// <c>webhook-delivery</c> outbox row, each delivery that must be retried (ADR 0043). Each delivery's id
/// is derived from the event's message and the webhook, so its <c>webhook-id</c> and body are the same on
/// every attempt, and a redelivered event never queues a retry twice.
/// </summary>
public sealed class WebhooksHandler(IServiceScopeFactory scopes, WebhookSender sender, WebhookOptions options, WebhookHealth health, TimeProvider clock) : IOutboxBatchHandler
{
    public const string HandlerName = "webhooks";
    /// <summary>First attempts in flight at once, per round.</summary>
    public const int Concurrency = 32;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => HandlerName;
    public bool Handles(string eventType) => WebhookEventTypes.IsKnown(eventType);

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct) =>
        await HandleManyAsync([message], ct);

    /// <summary>A round's events together; if that fails, one by one.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> HandleBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        try
        {
            await HandleManyAsync(messages, ct);
            return new Dictionary<Guid, string>();
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            var failed = new Dictionary<Guid, string>();
            foreach (var message in messages)
            {
                try { await HandleManyAsync([message], ct); }
                catch (Exception ex) when (!ct.IsCancellationRequested) { failed[message.Id] = ex.Message; }
            }
            return failed;
        }
    }

    private async Task HandleManyAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var sql = scope.ServiceProvider.GetRequiredService<Sql>();
        var audiences = await AudiencesAsync(db, messages, ct);
        var users = audiences.Values.SelectMany(a => a).Distinct().ToList();
        if (users.Count == 0) return;
        var hooks = await db.Webhooks.AsNoTracking().Where(w => users.Contains(w.UserId) && w.Status == "active").ToListAsync(ct);
        if (hooks.Count == 0) return;
        var deliveries = new List<WebhookLog.Delivery>();
        foreach (var message in messages)
        {
            var audience = audiences[message.Id];
            var matching = hooks.Where(h => audience.Contains(h.UserId) && WebhookEventTypes.Matches(h.Events, message.Type)).ToList();
            if (matching.Count == 0) continue;
            var data = JsonNode.Parse(message.Data) as JsonObject ?? [];
            data.Insert(0, "id", message.EntityId);
            var body = new JsonObject { ["type"] = message.Type, ["timestamp"] = message.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), ["data"] = data }
                .ToJsonString(Json);
            foreach (var hook in matching) deliveries.Add(new WebhookLog.Delivery(OutboxFollowUps.DerivedId(message.SourceId, $"webhook|{hook.Id:N}"), message.Type, hook, body, 1));
        }
        if (deliveries.Count == 0) return;
        // A redelivered event (an instance stopped after its round's log was written, before the round was
        // marked done): a delivery already in the log was sent, and queued for retry in the same transaction
        // if it has to be; it is not sent again.
        if (messages.Any(m => m.Attempts > 1))
        {
            var ids = deliveries.Select(d => d.Id).ToList();
            var logged = (await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.MessageId)).Select(d => d.MessageId).ToListAsync(ct)).ToHashSet();
            logged.UnionWith(await db.OutboxMessages.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => m.Id).ToListAsync(ct)); // queued for the retry loop
            deliveries.RemoveAll(d => logged.Contains(d.Id));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var retries = new List<object?[]>();
        // A webhook that failed or was slow lately gets this event from the retry loop at once, without a first attempt
        // here: the round (everyone else's webhooks and notifications) does not wait for it.
        var troubled = deliveries.ToLookup(d => health.IsTroubled(d.Hook.Id, now));
        foreach (var d in troubled[true])
            retries.Add(OutboxFollowUps.Row(d.Id, WebhookDeliveryHandler.HandlerName, d.EventType, d.Hook.UserId, "webhook", d.Hook.Id, d.Body, now));
        deliveries = troubled[false].ToList();
        var outcomes = await WebhookLog.SendAllAsync(sender, deliveries, Concurrency, ct, TimeSpan.FromSeconds(options.FirstAttemptTimeoutSeconds));
        now = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (d, attempt) = (deliveries[i], outcomes[i]);
            health.Record(d.Hook.Id, attempt, now);
            if (attempt.Succeeded || attempt.StatusCode == 410) continue;
            retries.Add(OutboxFollowUps.Row(d.Id, WebhookDeliveryHandler.HandlerName, d.EventType, d.Hook.UserId, "webhook", d.Hook.Id, d.Body, now,
                attempts: 1, nextAttemptAt: now + options.RetryDelay(1)));
        }
        await Sql.InTransactionAsync(db, async c =>
        {
            await WebhookLog.RecordAsync(db, sql, deliveries, outcomes, d => d.Attempt < WebhookOptions.MaxAttempts ? now + options.RetryDelay(d.Attempt) : null, now, c);
            await sql.InsertManyIgnoringConflictsAsync(DomainEvents.Outbox, retries, c);
            return 0;
        }, ct);
    }

    /// <summary>Who may see each event: its user; for a transfer, the recipient too (one read for the round).</summary>
    private static async Task<Dictionary<Guid, List<Guid>>> AudiencesAsync(PayTrackDb db, IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        var recipients = messages.Where(m => m.Type == Transfers.TransferEvents.Succeeded).ToDictionary(m => m.Id, m => Transfers.TransferSucceededData.Read(m).To);
        var owners = await Transfers.TransferSucceededData.OwnersAsync(db, recipients.Values, ct);
        var audiences = new Dictionary<Guid, List<Guid>>();
        foreach (var m in messages)
        {
            var users = new List<Guid>();
            if (m.UserId is { } owner) users.Add(owner);
            if (recipients.TryGetValue(m.Id, out var account) && owners.TryGetValue(account, out var recipient) && !users.Contains(recipient)) users.Add(recipient);
            audiences[m.Id] = users;
        }
        return audiences;
    }
}

/// <summary>Sending attempts and writing them to the delivery log, for first attempts and retries alike.</summary>
public static class WebhookLog
{
    public static readonly RowTable Table = new("webhook_deliveries",
        ("id", "uuid"), ("webhook_id", "uuid"), ("message_id", "uuid"), ("event_type", "text"), ("attempt", "integer"), ("status_code", "integer"),
        ("duration_ms", "integer"), ("error", "text"), ("next_attempt_at", "timestamptz"), ("created_at", "timestamptz"));

    /// <summary>One attempt to make: the delivery's id (its <c>webhook-id</c>), the webhook, the fixed body, and which attempt it is.</summary>
    public sealed record Delivery(Guid Id, string EventType, Webhook Hook, string Body, int Attempt);

    /// <summary>Sends every attempt, at most <paramref name="concurrency"/> at a time; answers their outcomes in order.</summary>
    public static async Task<WebhookAttempt[]> SendAllAsync(WebhookSender sender, IReadOnlyList<Delivery> deliveries, int concurrency, CancellationToken ct, TimeSpan? timeout = null)
    {
        var outcomes = new WebhookAttempt[deliveries.Count];
        using var parallel = new SemaphoreSlim(concurrency);
        await Task.WhenAll(deliveries.Select(async (d, i) =>
        {
            await parallel.WaitAsync(ct);
            try { outcomes[i] = await sender.SendAsync(d.Hook.Url, d.Hook.Secret, WebhookDeliveryHandler.WebhookId(d.Id), d.Body, ct, timeout); }
            finally { parallel.Release(); }
        }));
        return outcomes;
    }

    /// <summary>
    /// In the caller's transaction: one log row per attempt (with when the next one is due, if any), and the
    /// webhooks that answered <c>410 Gone</c> disabled.
    /// </summary>
    public static async Task RecordAsync(PayTrackDb db, Sql sql, IReadOnlyList<Delivery> deliveries, IReadOnlyList<WebhookAttempt> outcomes,
        Func<Delivery, DateTime?> nextAttempt, DateTime now, CancellationToken ct)
    {
        var rows = new List<object?[]>(deliveries.Count);
        var gone = new HashSet<Guid>();
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (d, attempt) = (deliveries[i], outcomes[i]);
            var isGone = attempt.StatusCode == 410;
            if (isGone) gone.Add(d.Hook.Id);
            rows.Add([Guid.CreateVersion7(), d.Hook.Id, d.Id, d.EventType, d.Attempt, attempt.StatusCode, attempt.DurationMs, attempt.Error,
                attempt.Succeeded || isGone ? null : nextAttempt(d), now]);
        }
        if (gone.Count > 0)
            await db.Webhooks.Where(w => gone.Contains(w.Id)).ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, "disabled")
                .SetProperty(w => w.DisabledReason, "The receiver answered 410 Gone."), ct);
        await sql.InsertManyIgnoringConflictsAsync(Table, rows, ct);
    }
}

/// <summary>
/// Delivers one event to one webhook, retried on the Standard Webhooks schedule (<see cref="WebhookOptions.Schedule"/>);
/// each attempt is logged in <c>webhook_deliveries</c>. A 2xx answer ends it; <c>410 Gone</c> disables
/// the webhook and ends it; anything else (or no answer within the timeout) is retried, then dead.
/// </summary>
public sealed class WebhookDeliveryHandler(IServiceScopeFactory scopes, WebhookSender sender, WebhookOptions options, WebhookHealth health, TimeProvider clock)
    : IOutboxBatchHandler, IOutboxRetryPolicy, IOutboxOwnLane
{
    public const string HandlerName = "webhook-delivery";

    public string Name => HandlerName;
    /// <summary>Rows are written by <see cref="WebhooksHandler"/> only.</summary>
    public bool Handles(string eventType) => false;
    public int MaxAttempts => WebhookOptions.MaxAttempts;
    public TimeSpan RetryDelay(int attempts) => options.RetryDelay(attempts);

    /// <summary>The <c>webhook-id</c> of a delivery: the same on every attempt.</summary>
    public static string WebhookId(Guid deliveryId) => $"msg_{deliveryId:N}";

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        if ((await HandleBatchAsync([message], ct)).TryGetValue(message.Id, out var error)) throw new WebhookDeliveryFailedException(error);
    }

    /// <summary>Webhooks sent to at once by one round of retries, and attempts in flight to one webhook.</summary>
    public const int Concurrency = 16, PerWebhook = 4;

    /// <summary>
    /// Sends a round's retries, then logs every attempt in one transaction. The webhooks are served side by side,
    /// each one's deliveries one after another, so that one receiver cannot take the round for itself
    /// (<see cref="SendFairlyAsync"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, string>> HandleBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PayTrackDb>();
        var sql = scope.ServiceProvider.GetRequiredService<Sql>();
        var ids = messages.Select(m => m.EntityId).Distinct().ToList();
        var hooks = await db.Webhooks.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        // Deleted or disabled since: nothing to send, and nothing to retry.
        var deliveries = messages.Where(m => hooks.TryGetValue(m.EntityId, out var h) && h.Status == "active")
            .Select(m => new WebhookLog.Delivery(m.Id, m.Type, hooks[m.EntityId], m.Data, m.Attempts)).ToList();
        var outcomes = await SendFairlyAsync(deliveries, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var failed = new Dictionary<Guid, string>();
        var made = new List<(WebhookLog.Delivery Delivery, WebhookAttempt Outcome)>();
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (outcomes[i] is not { } outcome) continue; // given back to the queue unattempted
            made.Add((deliveries[i], outcome));
            if (!outcome.Succeeded && outcome.StatusCode != 410) failed[deliveries[i].Id] = outcome.Error ?? "failed";
        }
        await Sql.InTransactionAsync(db, async c =>
        {
            await WebhookLog.RecordAsync(db, sql, made.Select(x => x.Delivery).ToList(), made.Select(x => x.Outcome).ToList(),
                d => d.Attempt < MaxAttempts ? now + RetryDelay(d.Attempt) : null, now, c);
            return 0;
        }, ct);
        return failed;
    }

    /// <summary>
    /// The round's deliveries, per webhook: up to <see cref="Concurrency"/> webhooks at a time, each served by one round
    /// at a time in this instance, with up to <see cref="PerWebhook"/> attempts in flight, its deliveries in order. A webhook gets at most one timeout's worth of the
    /// round (<see cref="WebhookOptions.TimeoutSeconds"/>); what it has left then is given back unattempted, due at
    /// once. When one of its attempts gets no answer at all (a timeout, a refused connection), the rest of its
    /// deliveries in the round are not sent: each counts as a failed attempt ("not sent"), as it would have failed
    /// too, and is retried on its own schedule. So a receiver that never answers costs a round one timeout, not one
    /// per delivery, and other users' retries are not queued behind it. Answers each delivery's outcome, or null for
    /// one given back.
    /// </summary>
    private async Task<WebhookAttempt?[]> SendFairlyAsync(IReadOnlyList<WebhookLog.Delivery> deliveries, CancellationToken ct)
    {
        var outcomes = new WebhookAttempt?[deliveries.Count];
        var round = OutboxRound.Current;
        var budget = TimeSpan.FromSeconds(options.TimeoutSeconds);
        using var parallel = new SemaphoreSlim(Concurrency);
        await Task.WhenAll(deliveries.Select((d, i) => (Delivery: d, Index: i)).GroupBy(x => x.Delivery.Hook.Id).Select(async group =>
        {
            await parallel.WaitAsync(ct);
            try
            {
                var queue = group.ToList();
                if (!health.TryBeginRetries(group.Key))
                {
                    // Another round of this instance is sending to this webhook: its deliveries wait for that one.
                    foreach (var (d, i) in queue) GiveBack(i, d, clock.GetUtcNow().UtcDateTime + budget);
                    return;
                }
                try
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    WebhookAttempt? unanswered = null;
                    var next = -1;
                    await Task.WhenAll(Enumerable.Range(0, Math.Min(PerWebhook, queue.Count)).Select(async _ =>
                    {
                        int k;
                        while ((k = Interlocked.Increment(ref next)) < queue.Count)
                        {
                            var (d, i) = queue[k];
                            if (Volatile.Read(ref unanswered) is { } none)
                                outcomes[i] = new WebhookAttempt(null, 0, $"Not sent: an earlier delivery to this URL got no answer in this round ({none.Error}).");
                            else if (watch.Elapsed >= budget)
                                GiveBack(i, d, clock.GetUtcNow().UtcDateTime);
                            else
                            {
                                var attempt = await sender.SendAsync(d.Hook.Url, d.Hook.Secret, WebhookId(d.Id), d.Body, ct);
                                outcomes[i] = attempt;
                                health.Record(d.Hook.Id, attempt, clock.GetUtcNow().UtcDateTime);
                                if (attempt.StatusCode is null) Volatile.Write(ref unanswered, attempt);
                            }
                        }
                    }));
                }
                finally { health.EndRetries(group.Key); }
            }
            finally { parallel.Release(); }
        }));
        return outcomes;

        void GiveBack(int index, WebhookLog.Delivery d, DateTime dueAt)
        {
            if (round is null) outcomes[index] = new WebhookAttempt(null, 0, "Not sent: the receiver was busy with earlier deliveries."); // outside a round: counts as an attempt
            else round.Defer(d.Id, dueAt);
        }
    }
}

/// <summary>An attempt that did not reach a 2xx (or 410) answer: the outbox retries it.</summary>
public sealed class WebhookDeliveryFailedException(string message) : Exception(message);
